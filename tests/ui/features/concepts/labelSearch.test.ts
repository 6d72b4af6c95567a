import { describe, expect, it } from 'vitest';
import { searchLabels } from '../../../../src/ui/features/concepts/labelSearch';

describe('searchLabels', () => {
  it('finds AudioSet classes by words in any order, names that start with the query first', () => {
    const guitar = searchLabels('guitar');
    expect(guitar[0]).toEqual({ index: 140, name: 'Guitar' });
    expect(guitar.map((m) => m.name)).toEqual(expect.arrayContaining(['Electric guitar', 'Bass guitar', 'Acoustic guitar']));
    expect(searchLabels('fiddle violin')).toEqual([{ index: 191, name: 'Violin, fiddle' }]);
  });

  it('finds a class by its index, limits the list, and finds nothing for blank or unknown text', () => {
    expect(searchLabels('153')).toEqual([{ index: 153, name: 'Piano' }]);
    expect(searchLabels('9999')).toEqual([]);
    expect(searchLabels('music', 5)).toHaveLength(5);
    expect(searchLabels('   ')).toEqual([]);
    expect(searchLabels('zzzz')).toEqual([]);
  });
});
