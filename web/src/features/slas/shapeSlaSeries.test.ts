import { describe, expect, it } from 'vitest';
import type { SlaSeries } from '../../api/contracts';
import { shapeSlaSeries } from './shapeSlaSeries';

const point = (t: number, met: number, late: number, open: number, inProgress = 0) => ({ t, met, late, open_breached: open, in_progress: inProgress, attainment: met + late + open === 0 ? null : met / (met + late + open) });
const series = (points: SlaSeries['points'], objective = 0.99): SlaSeries => ({ at: 0, policy: 'p', objective, group: {}, from: 0, to: 600_000, bucket_ms: 60_000, points });

describe('shapeSlaSeries', () => {
  it('draws attainment in percent per bucket, with gaps where nothing was decided', () => {
    const shaped = shapeSlaSeries(series([point(0, 10, 0, 0), point(60_000, 0, 0, 0, 2), point(120_000, 3, 1, 0)]));
    expect(shaped.rows).toEqual([
      { t: 0, attainment: 100, broken: 0, decided: 10, inProgress: 0 },
      { t: 60_000, attainment: null, broken: 0, decided: 0, inProgress: 2 },
      { t: 120_000, attainment: 75, broken: 1, decided: 4, inProgress: 0 },
    ]);
    expect(shaped).toMatchObject({ objective: 99, decided: 14, xDomain: [0, 180_000], bucketMs: 60_000 });
  });

  it('scales the axis to keep the lowest point and the objective in view', () => {
    expect(shapeSlaSeries(series([point(0, 3, 1, 0)])).yTicks).toEqual([70, 80, 90, 100]);
    expect(shapeSlaSeries(series([point(0, 1, 1, 0)])).yTicks).toEqual([40, 60, 80, 100]);
    expect(shapeSlaSeries(series([point(0, 100, 0, 0)])).yDomain).toEqual([98, 100]);
    expect(shapeSlaSeries(series([point(0, 0, 2, 0)])).yDomain).toEqual([0, 100]);
    expect(shapeSlaSeries(series([])).decided).toBe(0);
  });
});
