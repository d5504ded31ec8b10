import { recognizeAnswer } from '../../src/dialogs/answers/recognize-answer';
import type { AnswerLexicon, AnswerOption, PromptSpec } from '../../src/dialogs/answers/recognize-answer';
import type { AnswerLabel, AnswerScore, Entity } from '../../src/nlu/types';
import { extractEntities } from '../../src/nlu';

const lexicon: AnswerLexicon = {
  thresholds: { affirm: 0.5, deny: 0.5, done: 0.5, cant_find: 0.5, already: 0.5, solved: 0.6, still_failing: 0.5, dont_know: 0.5 },
  meaningWords: { affirm: ['yes', 'yep'], deny: ['no', 'nope'], solved: ['it works', 'worked'], dont_know: ['no idea', 'not sure'], done: ['done'] },
};

const option = (label: string, means: AnswerOption['means'], words: string[] = []): AnswerOption => ({ label, means, words });
const instruction: PromptSpec = {
  kind: 'instruction',
  options: [option('Done', ['done', 'affirm', 'still_failing']), option("I can't find it", ['cant_find', 'dont_know'], ['cant find']), option('It was already like that', ['already'], ['already'])],
};
const homeButton: PromptSpec = {
  kind: 'question',
  options: [option('Yes, it has a Home button', ['affirm'], ['home button', 'touch id']), option('No Home button (Face ID)', ['deny'], ['face id', 'no home button'])],
};
const dot: PromptSpec = { kind: 'question', options: [option("Yes, it's green", ['affirm'], ['green']), option('No, another colour', ['deny'], ['yellow', 'red'])] };
const size: PromptSpec = { kind: 'size', options: [option('Skip', ['dont_know', 'cant_find'], ['skip'])] };

/** What the answer model says, in tests: one label at a confidence (the rest spread evenly). */
function reading(text: string, model?: [AnswerLabel, number]): { text: string; answer_ranking: AnswerScore[]; entities: Entity[] } {
  const ranking: AnswerScore[] = model ? [{ name: model[0], confidence: model[1] }] : [{ name: 'other', confidence: 0.9 }];
  return { text, answer_ranking: ranking, entities: extractEntities(text) };
}

describe('recognizeAnswer', () => {
  test.each([
    ['the exact label, whatever its case and punctuation', instruction, "i CAN'T find it!", 1],
    ['a bare number for the option in that place', instruction, ' 3 ', 2],
    ["an option's own word as the whole message", homeButton, 'face id', 1],
    ["an option's own word inside the message", homeButton, 'mine has face id i think', 1],
    ['the longest phrase wins over a shorter one of another option', homeButton, 'no home button on mine', 1],
    ["a meaning's word, for the option that stands for it", dot, 'yep', 0],
  ])('picks an option from %s', (_how, prompt, text, index) => {
    expect(recognizeAnswer(prompt, reading(text), lexicon)).toMatchObject({ kind: 'option', index });
  });

  test('a number inside free text is never an option\'s place', () => {
    expect(recognizeAnswer(instruction, reading('I have 2 GB free'), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(dot, reading('it says 1 issue'), lexicon)).toEqual({ kind: 'none' });
  });

  test('a negated word does not pick its option ("not green")', () => {
    expect(recognizeAnswer(dot, reading('it is not green'), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(dot, reading("I don't think it's green, more yellow"), lexicon)).toMatchObject({ kind: 'option', index: 1 });
  });

  test('a question about the words is not an answer with them ("what home button?")', () => {
    expect(recognizeAnswer(homeButton, reading('what home button?'), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(homeButton, reading('what home button?', ['dont_know', 0.8]), lexicon)).toMatchObject({ kind: 'meaning', intent: 'dont_know' });
  });

  test('two options claiming the text equally decide nothing', () => {
    expect(recognizeAnswer(dot, reading('green and red'), lexicon)).toEqual({ kind: 'none' });
  });

  test('a meaning no option stands for stays a bare meaning: success at an instruction, "no idea" at a yes/no question', () => {
    expect(recognizeAnswer(instruction, reading('ok it works now'), lexicon)).toMatchObject({ kind: 'meaning', intent: 'solved' });
    expect(recognizeAnswer(homeButton, reading('no idea honestly'), lexicon)).toMatchObject({ kind: 'meaning', intent: 'dont_know' });
  });

  test('a lone meaning word inside a sentence says nothing where no option stands for it ("there\'s no Show All")', () => {
    expect(recognizeAnswer(instruction, reading("there's no show all"), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(instruction, reading('no'), lexicon)).toMatchObject({ kind: 'meaning', intent: 'deny' });
  });

  test("the answer model's reading counts at its threshold, and picks the option that means it", () => {
    expect(recognizeAnswer(instruction, reading('flipped the toggle', ['done', 0.5]), lexicon)).toMatchObject({ kind: 'option', index: 0, by: 'meaning', meaning: 'done' });
    expect(recognizeAnswer(instruction, reading('flipped the toggle', ['done', 0.49]), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(instruction, reading('did it, still stuck', ['still_failing', 0.7]), lexicon)).toMatchObject({ kind: 'option', index: 0, meaning: 'still_failing' });
    expect(recognizeAnswer(instruction, reading('backup went through', ['solved', 0.59]), lexicon)).toEqual({ kind: 'none' });
    expect(recognizeAnswer(instruction, reading('backup went through', ['solved', 0.6]), lexicon)).toMatchObject({ kind: 'meaning', intent: 'solved' });
  });

  test('at a size prompt a size, or a bare number, is the value asked for; "no idea" takes Skip', () => {
    expect(recognizeAnswer(size, reading('about 2.3 gigs'), lexicon)).toEqual({ kind: 'value' });
    expect(recognizeAnswer(size, reading('1'), lexicon)).toEqual({ kind: 'value' });
    expect(recognizeAnswer(size, reading('no idea'), lexicon)).toMatchObject({ kind: 'option', index: 0 });
  });

  test('words are looked up on lists, so Object.prototype names are just words', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(recognizeAnswer(instruction, reading(name), lexicon)).toEqual({ kind: 'none' });
    }
  });
});
