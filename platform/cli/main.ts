import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Secret } from 'otpauth';
import { totpCode } from '../auth/totp';
import { createContext } from '../context';
import { createLogger } from '../http/logging';
import { buildServer } from '../http/server';
import { isSeeded, printDemoCredentials, seedDemo } from '../seed/demo';

const usage = `Usage: npm run platform -- <command> [options]

Commands:
  serve [--port N] [--host H] [--data DIR]   run the platform API
  seed --demo [--data DIR]                   create the demo organizations acme and globex
  demo [--port N] [--data DIR]               seed on first run, then serve (what \`npm start\` runs)
  totp                                       read a base32 TOTP secret on stdin, print the current code
`;

const defaultDataDir = join(homedir(), '.compliance-console', 'demo-platform');

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4610' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const dataDir = values.data ?? defaultDataDir;
  switch (command) {
    case 'serve':
      return serve(dataDir, values.host, Number(values.port));
    case 'seed': {
      if (!values.demo) {
        process.stderr.write('seed needs --demo (the only seed there is).\n');
        return 2;
      }
      const ctx = createContext(dataDir);
      try {
        printDemoCredentials(await seedDemo(ctx), process.stdout);
      } finally {
        ctx.close();
      }
      return 0;
    }
    case 'demo': {
      const ctx = createContext(dataDir);
      if (!isSeeded(ctx)) printDemoCredentials(await seedDemo(ctx), process.stdout);
      else
        process.stdout.write(
          `Using the demo data in ${dataDir} (credentials were shown when it was created).\n`,
        );
      ctx.close();
      return serve(dataDir, '127.0.0.1', Number(values.port));
    }
    case 'totp': {
      const secret = (await readStdin()).trim();
      process.stdout.write(`${totpCode(Secret.fromBase32(secret).bytes, Date.now())}\n`);
      return 0;
    }
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

async function serve(dataDir: string, host: string, port: number): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be a number from 0 to 65535.\n');
    return 2;
  }
  const ctx = createContext(dataDir);
  const app = await buildServer(ctx, { logger: createLogger() });
  const address = await app.listen({ host, port });
  process.stdout.write(`Platform API listening on ${address} (data in ${dataDir}). Ctrl+C stops it.\n`);
  const stop = async () => {
    await app.close();
    ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : 'Failed'}\n`);
    process.exitCode = 1;
  },
);
