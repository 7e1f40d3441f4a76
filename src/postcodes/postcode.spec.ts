import { parsePostcode } from './postcode';

describe('parsePostcode', () => {
  describe('full postcodes', () => {
    it.each([
      ['m139pl', 'M13', 'M13 9PL'],
      ['M13 9PL', 'M13', 'M13 9PL'],
      ['  m13   9pl  ', 'M13', 'M13 9PL'],
      ['M13\t9PL', 'M13', 'M13 9PL'],
      ['SW1A 1AA', 'SW1A', 'SW1A 1AA'],
      ['sw1a1aa', 'SW1A', 'SW1A 1AA'],
      ['EC3A 5DE', 'EC3A', 'EC3A 5DE'],
      ['ec3a5de', 'EC3A', 'EC3A 5DE'],
      ['B1 1AA', 'B1', 'B1 1AA'],
      ['b11aa', 'B1', 'B1 1AA'],
      ['WC1H 9EG', 'WC1H', 'WC1H 9EG'],
    ])('reads %p as outcode %p in %p', (input, outcode, postcode) => {
      expect(parsePostcode(input)).toEqual({ outcode, postcode });
    });
  });

  describe('districts', () => {
    it.each([
      ['M13', 'M13'],
      ['sw1a', 'SW1A'],
      [' b1 ', 'B1'],
      ['EC3A', 'EC3A'],
    ])('reads %p as the district %p without a full postcode', (input, outcode) => {
      const parsed = parsePostcode(input);
      expect(parsed).toEqual({ outcode });
      expect(parsed?.postcode).toBeUndefined();
    });
  });

  describe('malformed input', () => {
    it.each([
      'NOT A POSTCODE',
      '12345',
      'M13 9P',
      'M13 9PLX',
      'M13 99L',
      '',
      '   ',
      'M',
      '13 9PL',
      'ABC1 1AA',
      'M13-9PL',
    ])('returns undefined for %p', (input) => {
      expect(parsePostcode(input)).toBeUndefined();
    });
  });
});
