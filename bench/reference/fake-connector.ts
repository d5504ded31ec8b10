/**
 * The Bot Framework connector's side of a reply, as fast as it can be:
 * accepts POST /v3/conversations/{id}/activities[/{replyTo}] and answers
 * 200 {"id": ...} (the connector's ResourceResponse), counting replies.
 * Usage: node fake-connector.js <port>; prints the reply count on SIGTERM... and on GET /count.
 */
import { createServer } from 'node:http';

let replies = 0;
let next = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return void res.end(JSON.stringify({ replies }));
  }
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url?.startsWith('/v3/conversations/')) {
      replies++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ id: `r${next++}` }));
    }
    res.writeHead(404);
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
