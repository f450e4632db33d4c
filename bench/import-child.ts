// The measured side of the import benchmark, in a process of its own so its peak memory is the
// import's (as `civicpoints import visits` runs it), not the setup's: opens the database,
// imports the file for the partner as the CLI does, and prints one JSON line of figures.
import { runVisitImport, startVisitImport } from '../src/modules/claims/visit-imports.service.js';
import { createContext } from '../src/shared/context.js';
import { openStorage } from '../src/storage/database.js';

const [file, csv, municipalityId, partnerId] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const storage = openStorage({ dialect: 'sqlite', file });
const ctx = createContext(storage, { actor: { kind: 'operator_cli' } });
let sampled = 0;
const sample = () => {
  sampled = Math.max(sampled, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 50);
const started = performance.now();
const opened = await startVisitImport(ctx, { municipalityId, partnerId, fileName: csv, file: csv });
const run = await runVisitImport(ctx, opened.id, csv, { onProgress: sample });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await storage.close();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    peakRssMb: Math.round(Math.max(sampled, process.resourceUsage().maxRSS * 1024) / 1024 / 1024),
    memory: process.memoryUsage(),
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    run,
  })}\n`,
);
