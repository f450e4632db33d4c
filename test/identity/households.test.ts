import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';

describeEachBackend('households', (backend) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
  });
  afterAll(() => app.close());

  const residentOf = async (slug: string, email: string) =>
    (await signInResident(app, slug, email)).headers;
  const post = (headers: Record<string, string>, url: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers, ...(payload && { payload }) });

  it('lets a resident create a household and the people they live with join it', async () => {
    const ann = await residentOf('pelt', 'ann@huis.be');
    const bert = await residentOf('pelt', 'bert@huis.be');
    const carla = await residentOf('lommel', 'carla@huis.be');

    expect((await app.inject({ url: '/api/me/household', headers: ann })).json()).toEqual({
      household: null,
    });
    const created = await post(ann, '/api/me/household', {
      address: '  Kerkstraat   1, 3900 Pelt ',
    });
    expect(created.statusCode).toBe(201);
    const household = created.json();
    expect(household).toMatchObject({ address: 'Kerkstraat 1, 3900 Pelt', members: 1 });
    expect(household.inviteCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const joined = await post(bert, '/api/me/household/join', {
      inviteCode: household.inviteCode.toLowerCase().replace('-', ''),
    });
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toMatchObject({ id: household.id, members: 2 });

    // A code from another municipality is simply not found.
    const elsewhere = await post(carla, '/api/me/household/join', {
      inviteCode: household.inviteCode,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('household_not_found');
    expect(elsewhere.body).not.toContain('Kerkstraat');

    const twice = await post(bert, '/api/me/household', { address: 'Markt 2, 3900 Pelt' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('already_in_household');

    expect((await post(bert, '/api/me/household/leave')).statusCode).toBe(204);
    expect(
      (await app.inject({ url: '/api/me/household', headers: ann })).json().household.members,
    ).toBe(1);
    expect((await post(bert, '/api/me/household', { address: 'no' })).json().code).toBe(
      'invalid_input',
    );
    expect(
      (await post(bert, '/api/me/household/join', { inviteCode: 'nonsense!' })).json().code,
    ).toBe('household_not_found');
  });
});
