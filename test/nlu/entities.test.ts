import { extractDevices, extractEntities, extractSizes } from '../../src/nlu/entities';

describe('extractSizes', () => {
  it.each<[string, number, ('backup' | 'free' | undefined)]>([
    ['backup is 3.4 GB', 3.4, 'backup'],
    ['whatsapp backup 3.4gb', 3.4, 'backup'],
    ['my backup is only 2gb', 2, 'backup'],
    ['my backup has 3gb in it', 3, 'backup'],
    ['a 3gb backup', 3, 'backup'],
    ['backup needs 4 gigs', 4, 'backup'],
    ['5 GB free', 5, 'free'],
    ['5gb available', 5, 'free'],
    ['only 2 GB left', 2, 'free'],
    ['icloud has 5 GB', 5, 'free'],
    ['whatsapp says i have 2gb', 2, 'free'],
    ['5 GB of free space', 5, 'free'],
    ['800mb', 0.8, undefined],
    ['1,5 gb', 1.5, undefined],
    ['3,4 GB', 3.4, undefined],
    ['1,500 mb', 1.5, undefined],
    ['2 gigs', 2, undefined],
    ['500 MB', 0.5, undefined],
    ['1.2TB', 1200, undefined],
    ['3.4gb', 3.4, undefined],
    ['12 gigabytes', 12, undefined],
    ['750 megs', 0.75, undefined],
    ['0 bytes left', 0, 'free'],
    ['i have the 50gb plan', 50, undefined],
  ])('reads %j as %d GB, role %s', (text, value, role) => {
    const [size, ...rest] = extractSizes(text);
    expect(rest).toEqual([]);
    expect(size?.value).toBeCloseTo(value, 9);
    expect(size?.role).toBe(role);
  });

  it('tells the backup from the free space in one sentence', () => {
    const sizes = extractSizes('backup is 3.4 GB and I have 5 GB free');
    expect(sizes.map((s) => [s.value, s.role, s.text])).toEqual([
      [3.4, 'backup', '3.4 GB'],
      [5, 'free', '5 GB'],
    ]);
  });

  it('gives no role to space already used', () => {
    expect(extractSizes('my iCloud storage: 4.8 GB of 5 GB used').map((s) => s.role)).toEqual([undefined, undefined]);
  });

  it('points start and end at the text as typed', () => {
    const text = 'Hi, WhatsApp backup 1,5 GB!';
    const [size] = extractSizes(text);
    expect(size).toMatchObject({ entity: 'size', text: '1,5 GB', value: 1.5, role: 'backup' });
    expect(text.slice(size?.start, size?.end)).toBe('1,5 GB');
  });

  it('ignores numbers without a unit, percentages and 5G', () => {
    expect(extractSizes('stuck at 45% for 3 days on 5g')).toEqual([]);
  });
});

describe('extractDevices', () => {
  it.each<[string, 'iphone_model' | 'ios_version', string]>([
    ['iphone 12 pro', 'iphone_model', 'iPhone 12 Pro'],
    ['my iPhone SE', 'iphone_model', 'iPhone SE'],
    ['iphone 8', 'iphone_model', 'iPhone 8'],
    ['iphone 14 pro max', 'iphone_model', 'iPhone 14 Pro Max'],
    ['iPhone XS Max', 'iphone_model', 'iPhone XS Max'],
    ['iphone 13 mini', 'iphone_model', 'iPhone 13 mini'],
    ['iphone 15 plus', 'iphone_model', 'iPhone 15 Plus'],
    ['iphone 16e', 'iphone_model', 'iPhone 16e'],
    ['iphone 6s', 'iphone_model', 'iPhone 6s'],
    ['iphone11', 'iphone_model', 'iPhone 11'],
    ['ios 17.2', 'ios_version', '17.2'],
    ['iOS 18', 'ios_version', '18'],
    ['on ios 15.8.1', 'ios_version', '15.8.1'],
    ['ios17', 'ios_version', '17'],
  ])('reads %j as %s %j', (text, entity, value) => {
    expect(extractDevices(text).map((d) => [d.entity, d.value])).toEqual([[entity, value]]);
  });

  it('finds nothing in a sentence without a model or version', () => {
    expect(extractDevices('my iphone is stuck and ios is old')).toEqual([]);
  });
});

describe('extractEntities', () => {
  it('returns sizes and devices in order of position', () => {
    const text = 'iphone 12 pro on ios 17.2, whatsapp backup 3.4gb, icloud has 5 GB';
    expect(extractEntities(text).map((e) => [e.entity, e.value])).toEqual([
      ['iphone_model', 'iPhone 12 Pro'],
      ['ios_version', '17.2'],
      ['size', 3.4],
      ['size', 5],
    ]);
  });
});
