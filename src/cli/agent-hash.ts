import { hashPassword } from '../handoff/agent-accounts';

/**
 * `npm run agent:hash -- <password>`: prints the scrypt string for an
 * AGENT_ACCOUNTS entry (`name:role:<this>`). With no argument the password is
 * read from standard input, so it need not appear in the shell's history.
 */
async function main(): Promise<void> {
  let password = process.argv[2];
  if (password === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stdout.write(`${hashPassword(password)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Cannot hash: ${(error as Error).message}\n`);
  process.exit(1);
});
