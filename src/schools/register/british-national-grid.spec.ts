import { gridToLatLng } from './british-national-grid';

describe('gridToLatLng', () => {
  it('places SW1A 1AA where the Ordnance Survey does', () => {
    const { latitude, longitude } = gridToLatLng(529090, 179645);
    expect(latitude).toBeCloseTo(51.501009, 4);
    expect(longitude).toBeCloseTo(-0.141588, 4);
  });

  it('agrees with the coordinates of the bundled register (The Aldgate School, EC3A 5DE)', () => {
    const { latitude, longitude } = gridToLatLng(533502, 181167);
    expect(latitude).toBeCloseTo(51.513662, 4);
    expect(longitude).toBeCloseTo(-0.077486, 4);
  });
});
