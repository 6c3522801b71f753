import crypto from 'node:crypto';
import type { IceConfig } from '@anxin/contracts';
import type { CallConfig } from '../../config.js';

/**
 * TURN REST credentials (the scheme coturn implements with `use-auth-secret`): the username is
 * `<unix expiry>:<call id>` and the password is base64(HMAC-SHA1(static-auth-secret, username)). coturn recomputes
 * the password from the username and refuses it once the expiry has passed, so the browser only ever holds a
 * credential for one call that stops working by itself; the shared secret never leaves the server.
 */
export function turnCredential(secret: string, callId: string, expiresAtUnix: number) {
  const username = `${expiresAtUnix}:${callId}`;
  const credential = crypto.createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** The RTCPeerConnection configuration handed to one participant of one call. */
export function iceConfigFor(config: CallConfig, callId: string, now: Date): IceConfig {
  const iceServers: IceConfig['iceServers'] = [];
  if (config.stunUrls.length > 0) iceServers.push({ urls: config.stunUrls });
  let expiresAt: string | null = null;
  if (config.turnUrls.length > 0 && config.turnSecret) {
    const expiry = Math.floor(now.getTime() / 1000) + config.turnTtlSeconds;
    iceServers.push({ urls: config.turnUrls, ...turnCredential(config.turnSecret, callId, expiry) });
    expiresAt = new Date(expiry * 1000).toISOString();
  }
  return { iceServers, iceTransportPolicy: config.iceTransportPolicy, expiresAt };
}
