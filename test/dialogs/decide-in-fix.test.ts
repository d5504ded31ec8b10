import { decideInFix } from '../../src/dialogs/answers/decide-in-fix';
import { recognizeAnswer } from '../../src/dialogs/answers/recognize-answer';
import type { InFixInput } from '../../src/dialogs/answers/decide-in-fix';
import type { AnswerLexicon, PromptSpec } from '../../src/dialogs/answers/recognize-answer';
import { INTENTS } from '../../src/nlu';
import type { AnswerLabel, IntentName, ParseResult } from '../../src/nlu';

const lexicon: AnswerLexicon = {
  thresholds: { affirm: 0.5, deny: 0.5, done: 0.5, cant_find: 0.5, already: 0.5, solved: 0.6, still_failing: 0.5, dont_know: 0.5 },
  meaningWords: { deny: ['no'], still_failing: ['still failing', 'no joy'], solved: ['it works'] },
};
const instruction: PromptSpec = {
  kind: 'instruction',
  options: [
    { label: 'Done', means: ['done', 'affirm', 'still_failing'], words: [] },
    { label: "I can't find it", means: ['cant_find'], words: [] },
    { label: 'It was already like that', means: ['already'], words: [] },
  ],
};

/** A parse as the NLU would give it: the intent classifier's reading and the answer model's. */
function parse(text: string, intent: [IntentName, number], answer?: [AnswerLabel, number]): ParseResult {
  const [name, confidence] = intent;
  const rest = INTENTS.filter((i) => i !== name).map((n) => ({ name: n, confidence: (1 - confidence) / 14 }));
  return {
    text,
    intent: { name, confidence },
    intent_ranking: [{ name, confidence }, ...rest],
    entities: [],
    answer_ranking: answer ? [{ name: answer[0], confidence: answer[1] }] : [{ name: 'other', confidence: 1 }],
  };
}

function decide(p: ParseResult, overrides: Partial<InFixInput> = {}) {
  return decideInFix({
    recognized: recognizeAnswer(instruction, p, lexicon),
    parse: p,
    route: 0.6,
    runningFix: 'check_icloud_access',
    fixIntents: new Set<IntentName>(['check_icloud_access', 'exclude_videos']),
    personLabel: 'Talk to a person',
    ...overrides,
  });
}

describe('decideInFix: what a message does while the bot waits on a prompt', () => {
  test('an answer to the question wins, even when the intent classifier reads a cancel ("no joy")', () => {
    expect(decide(parse('no joy', ['cancel', 0.95]))).toMatchObject({ kind: 'answer', recognized: { kind: 'option', index: 0 } });
    expect(decide(parse('no', ['cancel', 0.99], ['deny', 0.5]))).toMatchObject({ kind: 'answer', recognized: { kind: 'meaning', intent: 'deny' } });
  });

  test('success at any step ends the running fix as solved', () => {
    expect(decide(parse('ok it works now', ['thanks', 0.9]))).toEqual({ kind: 'solved' });
    expect(decide(parse('backup went through', ['thanks', 0.9], ['solved', 0.8]))).toEqual({ kind: 'solved' });
  });

  test('with no fix running, success is just an answer (nothing to end)', () => {
    expect(decide(parse('ok it works now', ['thanks', 0.9]), { runningFix: undefined })).toMatchObject({ kind: 'answer' });
  });

  test.each<[string, IntentName, string]>([
    ['help', 'help', 'help'],
    ['talk to a human', 'human_agent', 'human'],
    ['stop', 'cancel', 'stop'],
  ])('"%s", read as %s at the route threshold, is %s', (text, intent, kind) => {
    expect(decide(parse(text, [intent, 0.6]))).toEqual({ kind });
    expect(decide(parse(text, [intent, 0.59]))).toMatchObject({ kind: 'answer', recognized: { kind: 'none' } });
  });

  test('the "Talk to a person" button is a request for a person at any prompt', () => {
    expect(decide(parse('talk to a PERSON', ['none', 0.2]))).toEqual({ kind: 'human' });
  });

  test("an answer only the answer model read yields to a request the intent classifier is very sure of", () => {
    expect(decide(parse('cancel everything', ['cancel', 0.95], ['still_failing', 0.77]))).toEqual({ kind: 'stop' });
    expect(decide(parse('cancel everything', ['cancel', 0.85], ['still_failing', 0.77]))).toMatchObject({ kind: 'answer' });
    expect(decide(parse('cancel everything', ['cancel', 0.95], ['still_failing', 0.97]))).toMatchObject({ kind: 'answer' });
  });

  test('a clear symptom of another fix switches to it; of the running fix it does not', () => {
    expect(decide(parse('it is stuck on the videos', ['exclude_videos', 0.9]))).toEqual({ kind: 'switch', intent: 'exclude_videos' });
    expect(decide(parse('whatsapp is not in the icloud list', ['check_icloud_access', 0.9]))).toMatchObject({ kind: 'answer' });
  });

  test('a failure report stays an answer even when it reads like another fix\'s symptom ("still stuck at 3%")', () => {
    expect(decide(parse('still stuck at 3%', ['exclude_videos', 0.99], ['still_failing', 0.99]))).toMatchObject({ kind: 'answer', recognized: { kind: 'option', index: 0 } });
  });

  test('greetings, thanks and the generic complaint mid-fix never interrupt', () => {
    for (const intent of ['greeting', 'thanks', 'backup_not_working', 'none'] as const) {
      expect(decide(parse('whatever', [intent, 0.99]))).toMatchObject({ kind: 'answer', recognized: { kind: 'none' } });
    }
  });
});

describe('decideInFix: sizes given at a step that asked something else', () => {
  const withSizes = (p: ParseResult, ...sizes: Array<['backup' | 'free', number]>): ParseResult => ({
    ...p,
    entities: sizes.map(([role, value]) => ({ entity: 'size' as const, role, value, text: `${value} GB`, start: 0, end: 1 })),
  });
  const okWord: PromptSpec = { ...instruction, options: instruction.options.map((o, i) => (i === 0 ? { ...o, words: ['ok'] } : o)) };
  const fixIntents = new Set<IntentName>(['check_icloud_access', 'check_storage', 'exclude_videos']);
  const at = (p: ParseResult, ahead: boolean, spec: PromptSpec = instruction) =>
    decide(p, { recognized: recognizeAnswer(spec, p, { ...lexicon, meaningWords: { ...lexicon.meaningWords, done: ['done'] } }), promptKind: spec.kind, fixIntents, sizeCheck: { intent: 'check_storage', ahead } });

  test('a report of sizes is not an answer: noted, even when a button\'s own word ("ok") is in it', () => {
    expect(at(withSizes(parse('3.2gb free and backup is 4gb', ['none', 0.5]), ['free', 3.2], ['backup', 4]), true)).toEqual({ kind: 'sizes' });
    expect(at(withSizes(parse('ok 3.2gb free and backup is 4gb', ['none', 0.5]), ['free', 3.2], ['backup', 4]), true, okWord)).toEqual({ kind: 'sizes' });
  });

  test('a clear answer with sizes still answers: a meaning\'s words ("done, backup is 4gb") or the answer model', () => {
    expect(at(withSizes(parse('done, backup is 4gb', ['none', 0.5]), ['backup', 4]), true)).toMatchObject({ kind: 'answer', recognized: { kind: 'option', index: 0 } });
    expect(at(withSizes(parse('I have 2 GB free and it still fails', ['none', 0.5], ['still_failing', 0.9]), ['free', 2]), true)).toMatchObject({
      kind: 'answer',
      recognized: { kind: 'option', index: 0, by: 'meaning' },
    });
  });

  test('sizes do not start the size check early when it is still to come; when it is not, they start it as before', () => {
    const report = withSizes(parse('3.2 gb free, backup 4 gb', ['check_storage', 0.99]), ['free', 3.2], ['backup', 4]);
    expect(at(report, true)).toEqual({ kind: 'sizes' });
    expect(at(report, false)).toEqual({ kind: 'switch', intent: 'check_storage' });
  });

  test('other requests still win over sizes (help, a person, another symptom)', () => {
    expect(at(withSizes(parse('stuck on videos, backup is 4gb', ['exclude_videos', 0.95]), ['backup', 4]), true)).toEqual({ kind: 'switch', intent: 'exclude_videos' });
    expect(at(withSizes(parse('i want a human, 4gb backup', ['human_agent', 0.95]), ['backup', 4]), true)).toEqual({ kind: 'human' });
  });

  test('a size without a role, or at a prompt that asks for sizes, is not volunteered', () => {
    const noRole: ParseResult = { ...parse('4gb', ['none', 0.5]), entities: [{ entity: 'size', value: 4, text: '4gb', start: 0, end: 3 }] };
    expect(at(noRole, true)).toMatchObject({ kind: 'answer', recognized: { kind: 'none' } });
    const report = withSizes(parse('3.2 gb free', ['none', 0.5]), ['free', 3.2]);
    expect(decide(report, { promptKind: 'size', recognized: { kind: 'value' } })).toMatchObject({ kind: 'answer', recognized: { kind: 'value' } });
  });
});
