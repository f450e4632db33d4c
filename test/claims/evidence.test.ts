import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { makeActivity, setEarningSettings } from '../support/earning.js';
import { jpegWithExif } from '../support/exif-jpeg.js';
import { signInResident } from '../support/residents.js';
import { createTestApp } from '../support/server.js';
import { signInUser } from '../support/users.js';

/** Photo evidence over HTTP: upload limits, the checks that flag a claim, what staff may see. */
describeEachBackend('claim evidence', (backend) => {
  let app: FastifyInstance;
  let activityId: string;
  const site = { latitude: 51.2249, longitude: 5.4276 };
  beforeAll(async () => {
    app = await createTestApp({ backend, seedDemo: true });
    await setEarningSettings(app, 'pelt');
    activityId = (
      await makeActivity(app, 'pelt', 'litter-photo', {
        verificationMethods: ['photo_geo'],
        evidence: { photo: true, location: true, site: false },
        site: { ...site, radiusMeters: 2000 },
      })
    ).id;
  });
  afterAll(() => app.close());

  const upload = (headers: Record<string, string>, body: Buffer, type = 'image/jpeg') =>
    app.inject({
      method: 'POST',
      url: '/api/me/claim-photos',
      headers: { ...headers, 'content-type': type },
      payload: body,
    });
  const claim = (headers: Record<string, string>, photoIds: string[], at = site) =>
    app.inject({
      method: 'POST',
      url: '/api/me/claims',
      headers,
      payload: { activityId, photoIds, ...at },
    });

  it('approves a photo taken here and now, and flags the same photo, re-encoded, next time', async () => {
    const first = await signInResident(app, 'pelt', 'photo.1@example.be');
    const original = await jpegWithExif({ seed: 7, takenAt: '2026-12-01T08:30:00Z', ...site });
    const photo = await upload(first.headers, original);
    expect(photo.statusCode, photo.body).toBe(201);
    expect(photo.json()).toMatchObject({ takenAt: '2026-12-01T08:30:00.000Z', hasLocation: true });
    const approved = await claim(first.headers, [photo.json().id]);
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({ status: 'approved', flags: [] });

    // Another resident sends the same picture, re-encoded smaller: flagged, waits for review.
    const second = await signInResident(app, 'pelt', 'photo.2@example.be');
    const copy = await sharp(original).resize(320).jpeg({ quality: 60 }).toBuffer();
    const copyId = (await upload(second.headers, copy)).json().id;
    const flagged = await claim(second.headers, [copyId]);
    expect(flagged.statusCode, flagged.body).toBe(201);
    expect(flagged.json().status).toBe('submitted');
    expect(flagged.json().flags.map((f: { code: string }) => f.code)).toContain('similar_photo');
    expect(flagged.json().risk).toBe('high');

    // And the very same file: a duplicate.
    const third = await signInResident(app, 'pelt', 'photo.3@example.be');
    const sameId = (await upload(third.headers, original)).json().id;
    const duplicate = (await claim(third.headers, [sameId])).json();
    expect(duplicate.flags.map((f: { code: string }) => f.code)).toContain('duplicate_photo');
  });

  it('flags a photo taken far away, or long before, and a device far from the site', async () => {
    const { headers } = await signInResident(app, 'pelt', 'photo.4@example.be');
    const far = await jpegWithExif({
      seed: 11,
      takenAt: '2026-11-20T08:30:00Z',
      latitude: 50.85,
      longitude: 4.35,
    });
    const id = (await upload(headers, far)).json().id;
    const answer = (await claim(headers, [id], { latitude: 50.85, longitude: 4.35 })).json();
    const codes = answer.flags.map((f: { code: string }) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining(['photo_time_far', 'photo_location_far', 'device_location_far']),
    );
    expect(answer.status).toBe('submitted');
  });

  it('refuses a 50 MB upload, a file that is not an image, and photos that are not yours', async () => {
    const { headers } = await signInResident(app, 'pelt', 'photo.5@example.be');
    const huge = await upload(headers, Buffer.alloc(50 * 1024 * 1024, 0xff));
    expect(huge.statusCode).toBe(413);
    const text = await upload(headers, Buffer.from('this is not a picture at all'));
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('photo_not_an_image');
    const pdf = await upload(headers, Buffer.from('%PDF-1.7\n…'), 'application/pdf');
    expect(pdf.statusCode).toBe(415);
    const other = await signInResident(app, 'pelt', 'photo.6@example.be');
    const theirs = (await upload(other.headers, await jpegWithExif({ seed: 21 }))).json().id;
    const refused = await claim(headers, [theirs]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].code).toBe('photo_unknown');
    const missing = await claim(headers, []);
    expect(missing.statusCode).toBe(400);
    const mine = await app.inject({ method: 'GET', url: '/api/me/claims', headers });
    expect(mine.json().items).toEqual([]);
  });

  it('stops a resident who uploads many photos without claiming', async () => {
    const { headers } = await signInResident(app, 'pelt', 'photo.quota@example.be');
    const small = await jpegWithExif({ seed: 41, width: 64, height: 48 });
    for (let n = 0; n < 20; n++) expect((await upload(headers, small)).statusCode).toBe(201);
    const refused = await upload(headers, small);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('photo_quota');
  });

  it('shows a claim’s photos to its municipality’s reviewers, stripped of metadata, and to nobody else', async () => {
    const { headers } = await signInResident(app, 'pelt', 'photo.7@example.be');
    const photoId = (
      await upload(
        headers,
        await jpegWithExif({ seed: 31, takenAt: '2026-12-01T08:00:00Z', ...site }),
      )
    ).json().id;
    const claimId = (await claim(headers, [photoId])).json().id;
    const reviewer = await signInUser(
      app,
      { kind: 'staff', slug: 'pelt', roles: ['reviewer'] },
      'photo.reviewer@example.be',
    );
    const url = `/api/municipalities/pelt/claims/${claimId}/photos/${photoId}`;
    const seen = await app.inject({ method: 'GET', url, headers: reviewer.headers });
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['content-type']).toBe('image/jpeg');
    const metadata = await sharp(seen.rawPayload).metadata();
    expect(metadata.exif).toBeUndefined();
    const lommel = await signInUser(
      app,
      { kind: 'staff', slug: 'lommel', roles: ['reviewer'] },
      'photo.lommel@example.be',
    );
    const elsewhere = await app.inject({
      method: 'GET',
      url: `/api/municipalities/lommel/claims/${claimId}/photos/${photoId}`,
      headers: lommel.headers,
    });
    expect(elsewhere.statusCode).toBe(404);
    const stranger = await signInResident(app, 'pelt', 'photo.8@example.be');
    const notYours = await app.inject({
      method: 'GET',
      url: `/api/me/claim-photos/${photoId}`,
      headers: stranger.headers,
    });
    expect(notYours.statusCode).toBe(404);
  });
});
