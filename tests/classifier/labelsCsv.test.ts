import { describe, expect, it } from 'vitest';
import { parseLabelsCsv } from '../../src/classifier/labelsCsv';

describe('parseLabelsCsv', () => {
  it('reads quoted names with commas and doubled quotes', () => {
    expect(parseLabelsCsv('index,mid,display_name\n0,/m/a,"Say ""hi"", then"\n1,/m/b,Plain\n')).toEqual([
      { index: 0, mid: '/m/a', name: 'Say "hi", then' },
      { index: 1, mid: '/m/b', name: 'Plain' },
    ]);
  });

  it('names the line of a malformed row', () => {
    expect(() => parseLabelsCsv('index,name\n')).toThrow(/expected the header/);
    expect(() => parseLabelsCsv('index,mid,display_name\n0,/m/a\n')).toThrow('labels CSV line 2: expected 3 fields, got 2');
    expect(() => parseLabelsCsv('index,mid,display_name\n1,/m/a,x\n')).toThrow(/line 2: index "1" should be 0/);
    expect(() => parseLabelsCsv('index,mid,display_name\n0,/m/a,"x\n')).toThrow(/unterminated quote/);
  });
});
