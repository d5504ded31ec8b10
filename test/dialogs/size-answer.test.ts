import { sizeAnswer } from '../../src/dialogs/checks/storage-space';
import type { RecognizedAnswer } from '../../src/dialogs/answers/recognize-answer';

/** What the size question does with a reply, given how the reply was recognised (the Skip option or a size). */
const where = [['where'], ['how', 'do', 'i']];
const skipOption = (by: 'label' | 'words' | 'meaning', meaning?: 'dont_know' | 'cant_find'): RecognizedAnswer => ({ kind: 'option', index: 0, by, ...(meaning ? { meaning } : {}) });

describe('sizeAnswer', () => {
  test('a size is the value; nothing understood asks again', () => {
    expect(sizeAnswer({ kind: 'value' }, '3.4 gb', where, false)).toBe('value');
    expect(sizeAnswer({ kind: 'none' }, 'hmm', where, false)).toBe('retry');
  });

  test('a clear skip skips at once: the label, a skip word, "I don\'t know"', () => {
    expect(sizeAnswer(skipOption('label'), 'Skip', where, false)).toBe('skip');
    expect(sizeAnswer(skipOption('words'), 'it just says never', where, false)).toBe('skip');
    expect(sizeAnswer(skipOption('words', 'dont_know'), "I don't know", where, false)).toBe('skip');
    expect(sizeAnswer(skipOption('meaning', 'dont_know'), 'dunno mate', where, false)).toBe('skip');
  });

  test('asking where to look, or a first "can\'t find it", gets directions; after them it skips', () => {
    expect(sizeAnswer(skipOption('meaning', 'cant_find'), 'how do i see that?', where, false)).toBe('directions');
    expect(sizeAnswer(skipOption('words', 'dont_know'), 'not sure where to look', where, false)).toBe('directions');
    expect(sizeAnswer(skipOption('words', 'cant_find'), "can't find it", where, false)).toBe('directions');
    expect(sizeAnswer(skipOption('words', 'cant_find'), "can't find it", where, true)).toBe('skip');
    expect(sizeAnswer(skipOption('meaning', 'cant_find'), 'where is that', where, true)).toBe('skip');
  });

  test('a where-question no answer was read in gets directions once, then the usual reprompt', () => {
    expect(sizeAnswer({ kind: 'none' }, 'how do i see how much is free', where, false)).toBe('directions');
    expect(sizeAnswer({ kind: 'none' }, 'how do i see how much is free', where, true)).toBe('retry');
  });

  test('where-words are whole words: "nowhere" asks nothing', () => {
    expect(sizeAnswer(skipOption('meaning', 'dont_know'), 'nowhere to be seen', where, false)).toBe('skip');
  });
});
