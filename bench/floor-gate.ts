/**
 * The start line of a floor part. bench:package runs the parts of its floor side by side, each in its own
 * process, with an IPC channel: each says when it is set up and starts its clock on the word, so the parts
 * overlap as a verifier's would rather than one working while another still loads. Spawned without a
 * channel (bench:audit's spawnSync), a part starts at once.
 */
export async function startTogether(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) return;
  const go = new Promise((resolve) => process.once('message', resolve));
  send('ready');
  await go;
  // The channel would keep the process alive once its work is done.
  process.disconnect();
}
