import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoActivities } from '../../src/demo/demo-catalogue.js';
import { demoTasks } from '../../src/demo/demo-tasks.js';
import {
  DEMO_MUNICIPALITIES,
  DEMO_OPERATOR_EMAIL,
  DEMO_PARTNERS,
  demoPartnerUserEmail,
  demoResidentEmail,
  demoStaffEmail,
  seedDemo,
} from '../../src/demo/seed-demo.js';
import { listActivities } from '../../src/modules/catalog/catalog.service.js';
import { listAllUsers, updateUser } from '../../src/modules/identity/users.service.js';
import { getPartnerDetail } from '../../src/modules/partners/partners.service.js';
import { listTasks } from '../../src/modules/tasks/tasks.service.js';
import { getMunicipality } from '../../src/modules/tenancy/tenancy.service.js';
import type { BoundaryGeometry } from '../../src/modules/tenancy/tenancy.types.js';
import { STAFF_ROLES } from '../../src/shared/roles.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp, testContext } from '../support/server.js';
import { signInExistingUser } from '../support/users.js';

// The demo seed's people: staff of every role in each municipality, an operator admin, and two
// partners per municipality with a place inside it and a partner admin and a cashier — all able
// to sign in and act with their roles; seeding again changes nothing.

function inside(boundary: BoundaryGeometry, lon: number, lat: number): boolean {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  return polygons.some((rings) => {
    const ring = rings[0]!;
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi! > lat !== yj! > lat && lon < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) {
        hit = !hit;
      }
    }
    return hit;
  });
}

describeEachBackend('demo seed: staff, operator and partners', (backend) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has active staff of every role, an operator and the demo partners in each municipality', async () => {
    const ctx = testContext(app);
    const users = await listAllUsers(ctx);
    expect(users.every((u) => u.status === 'active')).toBe(true);
    expect(users.filter((u) => u.kind === 'operator').map((u) => u.email)).toEqual([
      DEMO_OPERATOR_EMAIL,
    ]);
    for (const { slug } of DEMO_MUNICIPALITIES) {
      const municipality = await getMunicipality(ctx, slug);
      const theirs = await listAllUsers(ctx, { municipalityId: municipality.id });
      for (const role of STAFF_ROLES) {
        expect(theirs.find((u) => u.email === demoStaffEmail(role, slug))).toMatchObject({
          kind: 'staff',
          roles: [role],
        });
      }
      const partnerUsers = theirs.filter((u) => u.kind === 'partner');
      expect(partnerUsers.map((u) => u.email).sort()).toEqual(
        DEMO_PARTNERS.flatMap((p) =>
          p.roles.map((role) => demoPartnerUserEmail(p.key, role, slug)),
        ).sort(),
      );
      const partnerIds = [...new Set(partnerUsers.map((u) => u.partnerId!))];
      expect(partnerIds).toHaveLength(DEMO_PARTNERS.length);
      for (const partnerId of partnerIds) {
        const { locations } = await getPartnerDetail(ctx, municipality.id, partnerId);
        expect(locations).toHaveLength(1);
        const [location] = locations;
        expect(
          inside(municipality.boundary!, location!.longitude, location!.latitude),
          `${location!.name} lies inside ${slug}`,
        ).toBe(true);
      }
    }
  });

  it('lets each demo account sign in and act with its roles, and nothing more', async () => {
    const get = (url: string, headers: Record<string, string>) =>
      app.inject({ method: 'GET', url, headers }).then((r) => r.statusCode);
    const code = encodeURIComponent(demoResidentEmail('pelt'));
    const lookup = `/api/municipalities/pelt/residents?email=${code}`;
    const expected: Record<string, [number, number, number]> = {
      // staff list, resident lookup, audit log
      admin: [200, 200, 200],
      reviewer: [403, 200, 403],
      finance: [403, 200, 403],
      analyst: [403, 403, 403],
    };
    for (const role of STAFF_ROLES) {
      const { headers, user } = await signInExistingUser(app, demoStaffEmail(role, 'pelt'));
      expect(user).toMatchObject({ kind: 'staff', roles: [role] });
      const answers = await Promise.all(
        ['/api/municipalities/pelt/staff', lookup, '/api/municipalities/pelt/audit'].map((url) =>
          get(url, headers),
        ),
      );
      expect(answers, role).toEqual(expected[role]);
      // Another municipality's staff list does not exist for them, whatever their role.
      expect(await get('/api/municipalities/lommel/staff', headers)).toBe(404);
    }
    const operator = await signInExistingUser(app, DEMO_OPERATOR_EMAIL);
    expect(await get('/api/operators', operator.headers)).toBe(200);
    expect(await get('/api/municipalities/hamont-achel/staff', operator.headers)).toBe(200);

    const cashier = await signInExistingUser(
      app,
      demoPartnerUserEmail('shop', 'cashier', 'lommel'),
    );
    expect(cashier.user).toMatchObject({ kind: 'partner', roles: ['cashier'] });
    expect(await get('/api/municipalities/lommel/staff', cashier.headers)).toBe(403);
  });

  it('changes nothing when seeded again, and brings a switched-off demo account back', async () => {
    const ctx = testContext(app);
    const before = await listAllUsers(ctx);
    const reviewer = before.find((u) => u.email === demoStaffEmail('reviewer', 'lommel'))!;
    await updateUser(
      ctx,
      reviewer.id,
      { status: 'disabled' },
      { municipalityId: reviewer.municipalityId },
    );
    const again = await seedDemo(ctx);
    expect(again.users).toHaveLength(before.length);
    expect(again.partners).toHaveLength(DEMO_PARTNERS.length * again.municipalities.length);
    const pelt = again.municipalities.find((m) => m.slug === 'pelt')!;
    const codes = (await listActivities(ctx, pelt.id)).map((a) => a.code).sort();
    expect(codes).toEqual(
      Object.keys(
        demoActivities({ thriftShopId: 'x', centre: { latitude: 0, longitude: 0 } }),
      ).sort(),
    );
    const tasks = await listTasks(ctx, pelt.id);
    expect(tasks.map((t) => t.status)).toEqual(['open', 'open', 'open']);
    expect(new Set(tasks.map((t) => t.title.nl))).toEqual(
      new Set(demoTasks({ latitude: 0, longitude: 0 }, new Date()).map((t) => t.title.nl)),
    );
    const near = await app.inject({ url: '/api/tasks/nearby?lat=51.2249&lon=5.4276&radius=3000' });
    expect(near.json().items).toHaveLength(3);
    const after = await listAllUsers(ctx);
    expect(after.map((u) => [u.id, u.status, u.roles.join()])).toEqual(
      before.map((u) => [u.id, 'active', u.roles.join()]),
    );
  });
});
