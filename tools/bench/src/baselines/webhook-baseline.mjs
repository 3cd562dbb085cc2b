// The baseline of the server-webhooks benchmark: the least a webhook endpoint can do, a bare
// Express route that checks the same Standard Webhooks signature and inserts one row with pg.
import express from 'express';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';

const { DATABASE_URL, WEBHOOK_SECRET, PORT } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS baseline_events (id text PRIMARY KEY, asin text NOT NULL, at timestamptz NOT NULL)');
const webhook = new Webhook(WEBHOOK_SECRET);
const app = express();
app.post('/webhook/finished', express.raw({ type: 'application/json' }), async (req, res) => {
  try {
    webhook.verify(req.body, req.headers);
  } catch {
    return res.status(401).json({ error: 'bad signature' });
  }
  const { asin } = JSON.parse(req.body.toString('utf8'));
  await pool.query('INSERT INTO baseline_events (id, asin, at) VALUES ($1, $2, now())', [req.headers['webhook-id'], asin]);
  res.json({ ok: true });
});
const server = app.listen(Number(PORT), '127.0.0.1', () => process.stdout.write(`listening on ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
