// Preloaded into the bot's process by a test (node -r): SIGUSR2 makes the next tick throw an
// exception nobody catches, as a bug would, so the test sees what the process does about it.
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('a bug nobody caught (test)');
  });
});
