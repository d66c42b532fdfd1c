import { describe, expect, it } from 'vitest';
import type { DashboardPanel, DashboardView } from '../api/contracts';
import { viewsFor } from './viewAccess';

const view = (id: string, kinds: DashboardPanel['kind'][]): DashboardView => ({
  id,
  title: id,
  description: '',
  panels: kinds.map((kind, i) => ({ id: `p${i}`, kind, title: kind, width: 'full', options: {} }) as DashboardPanel),
});
const views = [view('overview', ['lagNow', 'throughput']), view('alerts', ['alertList', 'alertMutes']), view('audit', ['auditLog'])];

describe('the screens offered in the menu', () => {
  it('leave out a screen none of whose panels the role can read', () => {
    expect(viewsFor(views, { role: 'viewer' }).map((v) => v.id)).toEqual(['overview', 'alerts']);
    expect(viewsFor(views, { role: 'operator' }).map((v) => v.id)).toEqual(['overview', 'alerts']);
  });

  it('offer an admin every screen, and everyone every screen while nobody is known', () => {
    expect(viewsFor(views, { role: 'admin' }).map((v) => v.id)).toEqual(['overview', 'alerts', 'audit']);
    expect(viewsFor(views, undefined).map((v) => v.id)).toEqual(['overview', 'alerts', 'audit']);
  });
});
