/**
 * The baseline of `npm run bench:im`: the least a WebSocket chat server can do with the same PostgreSQL — parse the
 * frame, one raw INSERT (autocommit, so it is durable when it returns; fsync stays on), acknowledge, forward the
 * frame to the other participant's sockets. No sessions, no authorisation, no encryption, no ordering, no
 * idempotency. Started as its own process by bench/im.bench.ts; prints `{"port":…}` once listening.
 */
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, application_name: 'bench-raw' });
await pool.query(`create table if not exists bench_raw_messages (
  consultation_id uuid not null,
  client_id uuid not null,
  sender_id uuid not null,
  body text not null,
  created_at timestamptz not null default now(),
  primary key (consultation_id, client_id)
)`);
const participants = new Map<string, { patient: string; doctor: string }>();
for (const row of (await pool.query('select id, patient_id, doctor_id from consultations')).rows)
  participants.set(row.id, { patient: row.patient_id, doctor: row.doctor_id });

const sockets = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 });

wss.on('connection', (ws, req) => {
  const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? '';
  const mine = sockets.get(user) ?? new Set();
  mine.add(ws);
  sockets.set(user, mine);
  ws.on('close', () => mine.delete(ws));
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as {
      type: string;
      consultationId: string;
      clientId: string;
      text: string;
    };
    const pair = participants.get(frame.consultationId);
    if (frame.type !== 'send' || !pair) return;
    pool
      .query(
        'insert into bench_raw_messages (consultation_id, client_id, sender_id, body) values ($1, $2, $3, $4) returning created_at',
        [frame.consultationId, frame.clientId, user, frame.text],
      )
      .then((res) => {
        const createdAt = (res.rows[0].created_at as Date).toISOString();
        ws.send(JSON.stringify({ type: 'ack', consultationId: frame.consultationId, clientId: frame.clientId }));
        const out = JSON.stringify({
          type: 'message',
          consultationId: frame.consultationId,
          message: { clientId: frame.clientId, senderId: user, kind: 'text', text: frame.text, createdAt },
        });
        for (const s of sockets.get(user === pair.patient ? pair.doctor : pair.patient) ?? []) s.send(out);
      })
      .catch((err: Error) =>
        ws.send(
          JSON.stringify({ type: 'error', code: 'INSERT_FAILED', message: err.message, clientId: frame.clientId }),
        ),
      );
  });
});

wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
});
process.on('SIGTERM', () => {
  wss.close();
  void pool.end().then(() => process.exit(0));
});
