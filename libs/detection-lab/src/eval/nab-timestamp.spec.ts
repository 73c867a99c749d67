import { parseNabTimestamp, formatNabTimestamp } from './nab-timestamp';

describe('NAB timestamps', () => {
  it('reads data and label formats as UTC and writes the data format', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10T07:15Z')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(formatNabTimestamp(Date.UTC(2014, 3, 10, 7, 15))).toBe('2014-04-10 07:15:00');
    expect(() => parseNabTimestamp('10/04/2014')).toThrow(/unrecognised timestamp/);
  });
});
