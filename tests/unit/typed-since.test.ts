import { describe, expect, it } from 'vitest';
import { keepChosenSince, typedSince } from '../../renderer/app/typed-since';

describe('a text box once what it held at submission is saved', () => {
  it('is empty when nothing was typed meanwhile', () => {
    expect(typedSince('Security have CCTV of the theft', 'Security have CCTV of the theft')).toBe('');
  });

  it('keeps what was typed on after it, as the start of the next entry', () => {
    expect(typedSince('Security have CCTV of the theft', 'Security have CCTV of the theftSus')).toBe('Sus');
    expect(typedSince('LOG crew on the way', 'LOG crew on the way LOG second')).toBe('LOG second');
  });

  it('keeps all of it when the saved text itself was changed meanwhile, or the box emptied', () => {
    expect(typedSince('Security have CCTV', 'Security had CCTV')).toBe('Security had CCTV');
    expect(typedSince('Security have CCTV', '')).toBe('');
  });
});

describe('a choice once what was chosen at submission is saved', () => {
  it('is reset when it still holds what was saved', () => {
    expect(keepChosenSince('unit-1')('unit-1')).toBe('');
  });

  it('keeps another choice made meanwhile, even one whose name begins with the saved one', () => {
    expect(keepChosenSince('unit-1')('unit-10')).toBe('unit-10');
    expect(keepChosenSince('burglary')('theft')).toBe('theft');
  });
});
