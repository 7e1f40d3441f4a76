import { Activity, VisitFormat } from '../volunteers/volunteer.enums';
import { offerBit, VIRTUAL_OFFERS } from './offer-bit';

describe('offerBit', () => {
  it('gives every (activity, format) pair its own bit', () => {
    const bits = Object.values(Activity).flatMap((activity) =>
      Object.values(VisitFormat).map((format) => offerBit(activity, format)),
    );
    expect(new Set(bits).size).toBe(12);
    expect(bits.every((bit) => Number.isInteger(Math.log2(bit)))).toBe(true);
  });

  it('numbers activities from 1 in their declared order, in person then virtual', () => {
    expect(offerBit(Activity.CareersTalk, VisitFormat.InPerson)).toBe(1 << 2);
    expect(offerBit(Activity.CareersTalk, VisitFormat.Virtual)).toBe(1 << 3);
    expect(offerBit(Activity.MockClinic, VisitFormat.Virtual)).toBe(1 << 13);
    expect(VIRTUAL_OFFERS).toHaveLength(6);
  });
});
