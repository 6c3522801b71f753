/**
 * One device's side of voice and video calls (CON-2): signalling over the app's one WebSocket (lib/realtime, open
 * wherever the person is in the signed-in app, so calls ring on every screen), the RTCPeerConnection, the local
 * and remote streams, and what the call screen shows.
 * Audio and video go from browser to browser (or through the TURN relay), encrypted by DTLS-SRTP; the server only
 * relays the set-up messages. Nothing here records or uploads media.
 */
import type {
  CallClientFrame,
  CallMedia,
  CallOutcome,
  CallServerFrame,
  DeclineReason,
  IceConfig,
} from '@anxin/contracts';
import { callApi } from '../../lib/api';
import type { FrameType, Realtime, RealtimeState } from '../../lib/realtime';
import { qualityFrom, sampleStats, shouldDropVideo, type Quality, type StatsSample } from './model';

export type Phase = 'idle' | 'outgoing' | 'incoming' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

export interface CallView {
  phase: Phase;
  callId: string | null;
  consultationId: string | null;
  media: CallMedia;
  role: 'caller' | 'callee' | null;
  /** Who is calling (incoming): the app shows no names in the ring, only the relationship. */
  callerRole: 'doctor' | 'patient' | null;
  remoteRinging: boolean;
  /** Local time the media first flowed (for the duration shown). */
  connectedAt: number | null;
  muted: boolean;
  cameraOn: boolean;
  /** Video was switched off because the connection could not carry it. */
  audioOnlyFallback: boolean;
  canSwitchCamera: boolean;
  quality: Quality;
  relayed: boolean;
  ended: { outcome: CallOutcome; declineReason: DeclineReason | null; mine: boolean; durationSeconds: number } | null;
  takenElsewhere: boolean;
  error: string | null;
  socketUp: boolean;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  minimised: boolean;
  /** For tests and the benchmark: when the call was answered and when the first remote video frame was shown. */
  metrics: { acceptedAt: number | null; firstFrameAt: number | null; bytesReceived: number; framesDecoded: number };
}

const IDLE: CallView = {
  phase: 'idle',
  callId: null,
  consultationId: null,
  media: 'voice',
  role: null,
  callerRole: null,
  remoteRinging: false,
  connectedAt: null,
  muted: false,
  cameraOn: false,
  audioOnlyFallback: false,
  canSwitchCamera: false,
  quality: 'unknown',
  relayed: false,
  ended: null,
  takenElsewhere: false,
  error: null,
  socketUp: false,
  localStream: null,
  remoteStream: null,
  minimised: false,
  metrics: { acceptedAt: null, firstFrameAt: null, bytesReceived: 0, framesDecoded: 0 },
};

/** Open a device stream for a call. Throws the browser's error (see classifyMediaError). */
export async function openDevices(video: boolean, facingMode: 'user' | 'environment' = 'user'): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new TypeError('mediaDevices unavailable');
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: video ? { facingMode, width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } } : false,
  });
}

/** Every `call.*` frame the server sends (CallServerFrame). */
const CALL_FRAMES = [
  'call.created',
  'call.incoming',
  'call.ringing',
  'call.accepted',
  'call.taken',
  'call.offer',
  'call.answer',
  'call.candidate',
  'call.restart',
  'call.resumed',
  'call.ended',
  'call.error',
] as const satisfies readonly CallServerFrame['type'][];
// Compile-time check that the list above names every call frame.
type MissingCallFrame = Exclude<CallServerFrame['type'], (typeof CALL_FRAMES)[number]>;
const allCallFrames: [MissingCallFrame] extends [never] ? true : MissingCallFrame = true;
void allCallFrames;

export class CallEngine {
  private view: CallView = { ...IDLE };
  private unsubscribe: Array<() => void> = [];
  private pc: RTCPeerConnection | null = null;
  private ice: IceConfig | null = null;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private statsTimer: number | undefined;
  private samples: StatsSample[] = [];
  private qualities: Quality[] = [];
  private restartTimer: number | undefined;
  private restartsWithoutSuccess = 0;
  private endedTimer: number | undefined;
  private pendingInvite: { type: 'call.invite'; consultationId: string; media: CallMedia } | null = null;
  private inviteTimer: number | undefined;
  private facing: 'user' | 'environment' = 'user';
  private readonly listeners = new Set<() => void>();

  constructor(private readonly realtime: Pick<Realtime, 'subscribe' | 'onState' | 'getState' | 'send' | 'running'>) {}

  // ——— subscription (useSyncExternalStore) ———

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getView = () => this.view;
  private set(patch: Partial<CallView>) {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }

  // ——— the signalling socket (lib/realtime owns it: opening, reconnecting, the session) ———

  start() {
    this.stopListening();
    this.unsubscribe = [
      ...CALL_FRAMES.map((type: FrameType) =>
        this.realtime.subscribe(type, (frame) => void this.onFrame(frame as CallServerFrame)),
      ),
      this.realtime.onState(this.onSocketState),
    ];
    this.set({ socketUp: this.realtime.getState() === 'open' });
    window.addEventListener('online', this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.(
      'change',
      this.onNetworkChange,
    );
    window.addEventListener('pagehide', this.onPageHide);
  }

  dispose() {
    window.removeEventListener('online', this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.removeEventListener?.(
      'change',
      this.onNetworkChange,
    );
    window.removeEventListener('pagehide', this.onPageHide);
    if (this.view.callId && this.inCall()) this.send({ type: 'call.hangup', callId: this.view.callId });
    this.stopListening();
    window.clearTimeout(this.inviteTimer);
    this.pendingInvite = null;
    this.teardown();
    this.view = { ...IDLE };
  }

  private stopListening() {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  private onSocketState = (state: RealtimeState) => {
    if (state === 'open') {
      this.set({ socketUp: true });
      if (this.pendingInvite) {
        window.clearTimeout(this.inviteTimer);
        this.send(this.pendingInvite);
        this.pendingInvite = null;
        return;
      }
      // Back after a drop: this socket carries my side of the call again.
      if (this.view.callId && (this.inCall() || this.view.phase === 'outgoing'))
        this.send({ type: 'call.resume', callId: this.view.callId });
      return;
    }
    if (state !== 'offline') return;
    this.set({ socketUp: false });
    if (!this.realtime.running) return; // the session ended (4401) or signed out: no reconnecting
    if (this.inCall()) this.set({ phase: this.view.phase === 'connected' ? 'reconnecting' : this.view.phase });
  };

  private send(frame: CallClientFrame): boolean {
    return this.realtime.send(frame);
  }

  private inCall() {
    return ['connecting', 'connected', 'reconnecting'].includes(this.view.phase);
  }

  private onPageHide = () => {
    if (this.view.callId && (this.inCall() || this.view.phase === 'outgoing'))
      this.send({ type: this.view.phase === 'outgoing' ? 'call.cancel' : 'call.hangup', callId: this.view.callId });
  };

  /** The network changed: lib/realtime reconnects the socket; a call restarts ICE for the new path. */
  private onNetworkChange = () => {
    if (this.inCall()) this.requestIceRestart();
  };

  // ——— frames from the server ———

  private async onFrame(frame: CallServerFrame) {
    const v = this.view;
    switch (frame.type) {
      case 'call.incoming':
        // Already busy on this device (the server only rings people who are free): ignore.
        if (v.phase !== 'idle' && v.phase !== 'ended') return;
        window.clearTimeout(this.endedTimer);
        this.set({
          ...IDLE,
          socketUp: v.socketUp,
          phase: 'incoming',
          callId: frame.callId,
          consultationId: frame.consultationId,
          media: frame.media,
          role: 'callee',
          callerRole: frame.callerRole,
        });
        this.send({ type: 'call.ringing', callId: frame.callId });
        return;
      case 'call.created':
        if (v.phase === 'outgoing' && !v.callId) this.set({ callId: frame.callId });
        // Hung up before the server confirmed the call: cancel it now.
        else if (frame.callId !== v.callId) this.send({ type: 'call.cancel', callId: frame.callId });
        return;
      case 'call.ringing':
        if (frame.callId === v.callId) this.set({ remoteRinging: true });
        return;
      case 'call.taken':
        if (frame.callId === v.callId && v.phase === 'incoming') this.finish(null, { takenElsewhere: true });
        return;
      case 'call.accepted':
        if (frame.callId !== v.callId) return;
        this.ice = frame.ice;
        this.set({
          phase: 'connecting',
          role: frame.role,
          metrics: { ...v.metrics, acceptedAt: v.metrics.acceptedAt ?? Date.now() },
        });
        this.createPeer();
        if (frame.role === 'caller') await this.makeOffer(false);
        return;
      case 'call.offer':
        if (frame.callId !== v.callId || !this.pc) return;
        await this.pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
        await this.flushCandidates();
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        this.send({ type: 'call.answer', callId: frame.callId, sdp: this.pc.localDescription?.sdp ?? '' });
        return;
      case 'call.answer':
        if (frame.callId !== v.callId || !this.pc) return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
        await this.flushCandidates();
        return;
      case 'call.candidate': {
        if (frame.callId !== v.callId || !this.pc) return;
        const init: RTCIceCandidateInit = {
          candidate: frame.candidate,
          sdpMid: frame.sdpMid,
          sdpMLineIndex: frame.sdpMLineIndex,
        };
        if (!this.pc.remoteDescription) this.pendingCandidates.push(init);
        else await this.pc.addIceCandidate(init).catch(() => {});
        return;
      }
      case 'call.restart':
        if (frame.callId === v.callId && v.role === 'caller') await this.makeOffer(true);
        return;
      case 'call.resumed':
        if (frame.callId !== v.callId) return;
        if (frame.ice) this.ice = frame.ice;
        // Either side came back on a new socket: the caller renegotiates the network path.
        if (v.role === 'caller' && this.pc) await this.makeOffer(true);
        return;
      case 'call.ended':
        if (frame.callId !== v.callId) return;
        this.finish({
          outcome: frame.outcome,
          declineReason: frame.declineReason,
          mine: v.role === 'caller',
          durationSeconds: frame.durationSeconds,
        });
        return;
      case 'call.error':
        if (frame.callId && frame.callId !== v.callId) return;
        if (v.phase === 'outgoing' && !v.callId) {
          // The invitation was refused (consultation not active, already in a call, too many attempts).
          this.teardown();
          this.set({ ...IDLE, socketUp: v.socketUp, phase: 'ended', error: frame.message });
          this.endedTimer = window.setTimeout(() => this.dismiss(), 4000);
          return;
        }
        this.set({ error: frame.message });
        return;
      default:
        return;
    }
  }

  // ——— actions from the screen ———

  /** Call the other participant; `stream` comes from openDevices after the purpose was explained. */
  call(consultationId: string, media: CallMedia, stream: MediaStream) {
    if (this.view.phase !== 'idle' && this.view.phase !== 'ended') {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    window.clearTimeout(this.endedTimer);
    this.set({
      ...IDLE,
      socketUp: this.view.socketUp,
      phase: 'outgoing',
      consultationId,
      media,
      role: 'caller',
      localStream: stream,
      cameraOn: stream.getVideoTracks().length > 0,
    });
    void this.detectCameras();
    const invite = { type: 'call.invite', consultationId, media } as const;
    if (this.send(invite)) return;
    // The socket is (re)connecting: send the invitation as soon as it is open, or give up after a while.
    this.pendingInvite = invite;
    window.clearTimeout(this.inviteTimer);
    this.inviteTimer = window.setTimeout(() => {
      if (!this.pendingInvite) return;
      this.pendingInvite = null;
      this.teardown();
      this.set({ phase: 'ended', error: 'socket' });
      this.endedTimer = window.setTimeout(() => this.dismiss(), 4000);
    }, 8000);
  }

  accept(stream: MediaStream) {
    const { callId, phase } = this.view;
    if (!callId || phase !== 'incoming') {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    this.set({
      localStream: stream,
      cameraOn: stream.getVideoTracks().length > 0,
      phase: 'connecting',
      metrics: { ...this.view.metrics, acceptedAt: Date.now() },
    });
    void this.detectCameras();
    this.send({ type: 'call.accept', callId });
  }

  decline(reason?: DeclineReason) {
    const { callId } = this.view;
    if (!callId) return;
    this.send({ type: 'call.decline', callId, ...(reason ? { reason } : {}) });
    this.finish(null);
  }

  hangUp() {
    const { callId, phase } = this.view;
    this.pendingInvite = null;
    window.clearTimeout(this.inviteTimer);
    if (callId) this.send({ type: phase === 'outgoing' ? 'call.cancel' : 'call.hangup', callId });
    if (!callId && phase === 'outgoing') {
      this.teardown();
      this.set({ ...IDLE, socketUp: this.view.socketUp });
    }
    // The server answers with call.ended (outcome, duration); close the media now either way.
    this.teardown();
  }

  toggleMute() {
    const muted = !this.view.muted;
    this.view.localStream?.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.set({ muted });
  }

  toggleCamera() {
    const cameraOn = !this.view.cameraOn;
    this.view.localStream?.getVideoTracks().forEach((t) => (t.enabled = cameraOn));
    this.set({ cameraOn, audioOnlyFallback: false });
  }

  async switchCamera() {
    const stream = this.view.localStream;
    const old = stream?.getVideoTracks()[0];
    if (!stream || !old) return;
    this.facing = this.facing === 'user' ? 'environment' : 'user';
    const fresh = (await openDevices(true, this.facing)).getVideoTracks()[0];
    if (!fresh) return;
    await this.pc
      ?.getSenders()
      .find((s) => s.track?.kind === 'video')
      ?.replaceTrack(fresh);
    stream.removeTrack(old);
    old.stop();
    stream.addTrack(fresh);
    this.set({ localStream: stream });
  }

  setMinimised(minimised: boolean) {
    this.set({ minimised });
  }

  markFirstFrame = () => {
    if (this.view.metrics.firstFrameAt === null && this.inCall())
      this.set({ metrics: { ...this.view.metrics, firstFrameAt: Date.now() } });
  };

  dismiss() {
    window.clearTimeout(this.endedTimer);
    if (this.view.phase === 'ended' || this.view.phase === 'idle') this.set({ ...IDLE, socketUp: this.view.socketUp });
  }

  // ——— WebRTC ———

  private createPeer() {
    const ice = this.ice;
    const pc = new RTCPeerConnection({
      iceServers: ice?.iceServers ?? [],
      iceTransportPolicy: ice?.iceTransportPolicy ?? 'all',
    });
    this.pc = pc;
    this.pendingCandidates = [];
    const local = this.view.localStream;
    if (local) for (const track of local.getTracks()) pc.addTrack(track, local);
    // A video call answered with voice only still receives the other side's video.
    if (this.view.media === 'video' && !local?.getVideoTracks().length && this.view.role === 'caller')
      pc.addTransceiver('video', { direction: 'recvonly' });
    const remote = new MediaStream();
    this.set({ remoteStream: remote });
    pc.ontrack = (e) => {
      if (!remote.getTracks().includes(e.track)) remote.addTrack(e.track);
      this.set({ remoteStream: remote });
    };
    pc.onicecandidate = (e) => {
      const callId = this.view.callId;
      if (!callId) return;
      this.send({
        type: 'call.candidate',
        callId,
        candidate: e.candidate?.candidate ?? '',
        sdpMid: e.candidate?.sdpMid ?? null,
        sdpMLineIndex: e.candidate?.sdpMLineIndex ?? null,
      });
    };
    pc.onconnectionstatechange = () => this.onConnectionState(pc);
    this.statsTimer = window.setInterval(() => void this.readStats(pc), 1000);
  }

  private onConnectionState(pc: RTCPeerConnection) {
    if (pc !== this.pc) return;
    const state = pc.connectionState;
    if (state === 'connected') {
      window.clearTimeout(this.restartTimer);
      this.restartsWithoutSuccess = 0;
      this.set({ phase: 'connected', connectedAt: this.view.connectedAt ?? Date.now() });
    } else if (state === 'disconnected') {
      this.set({ phase: 'reconnecting' });
      // Often recovers by itself within a few seconds; otherwise restart ICE.
      window.clearTimeout(this.restartTimer);
      this.restartTimer = window.setTimeout(() => this.requestIceRestart(), 2500);
    } else if (state === 'failed') {
      this.set({ phase: 'reconnecting' });
      this.requestIceRestart();
    }
  }

  private requestIceRestart() {
    const { callId, role } = this.view;
    if (!callId || !this.pc) return;
    if (++this.restartsWithoutSuccess > 4) {
      // No way through after several attempts: the call failed.
      this.send({ type: 'call.hangup', callId, failed: true });
      this.teardown();
      return;
    }
    if (role === 'caller') void this.makeOffer(true);
    else this.send({ type: 'call.restart', callId });
    window.clearTimeout(this.restartTimer);
    this.restartTimer = window.setTimeout(() => {
      if (this.pc?.connectionState !== 'connected') this.requestIceRestart();
    }, 8000);
  }

  private async makeOffer(restart: boolean) {
    const pc = this.pc;
    const callId = this.view.callId;
    if (!pc || !callId) return;
    if (restart) {
      // Fresh TURN credentials for the new path (the old ones may be close to expiry).
      try {
        this.ice = await callApi.ice(callId);
        pc.setConfiguration({ iceServers: this.ice.iceServers, iceTransportPolicy: this.ice.iceTransportPolicy });
      } catch {
        // keep the current configuration
      }
    }
    const offer = await pc.createOffer(restart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    this.send({ type: 'call.offer', callId, sdp: pc.localDescription?.sdp ?? offer.sdp ?? '', restart });
  }

  private async flushCandidates() {
    const pc = this.pc;
    if (!pc) return;
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of queued) await pc.addIceCandidate(c).catch(() => {});
  }

  private async readStats(pc: RTCPeerConnection) {
    if (pc !== this.pc) return;
    const report = await pc.getStats().catch(() => null);
    if (!report || pc !== this.pc) return;
    const sample = sampleStats(report as unknown as Parameters<typeof sampleStats>[0], Date.now());
    const prev = this.samples.length >= 2 ? this.samples[this.samples.length - 2] : this.samples[0];
    this.samples = [...this.samples.slice(-4), sample];
    const sendsVideo = this.view.cameraOn && (this.view.localStream?.getVideoTracks().length ?? 0) > 0;
    const quality = qualityFrom(prev, sample, this.view.media === 'video');
    this.qualities = [...this.qualities.slice(-9), quality];
    const patch: Partial<CallView> = {
      quality: this.view.phase === 'connected' ? quality : this.view.quality,
      relayed: sample.relayed,
      metrics: { ...this.view.metrics, bytesReceived: sample.bytesReceived, framesDecoded: sample.framesDecoded },
    };
    if (sendsVideo && this.view.phase === 'connected' && shouldDropVideo(this.qualities, sample)) {
      // Voice first: stop sending video until the person turns it back on.
      this.view.localStream?.getVideoTracks().forEach((t) => (t.enabled = false));
      patch.cameraOn = false;
      patch.audioOnlyFallback = true;
      this.qualities = [];
    }
    this.set(patch);
  }

  private async detectCameras() {
    const devices = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []);
    const cameras = (devices ?? []).filter((d) => d.kind === 'videoinput').length;
    this.set({ canSwitchCamera: cameras > 1 && (this.view.localStream?.getVideoTracks().length ?? 0) > 0 });
  }

  private teardown() {
    window.clearInterval(this.statsTimer);
    window.clearTimeout(this.restartTimer);
    this.pc?.close();
    this.pc = null;
    this.ice = null;
    this.pendingCandidates = [];
    this.samples = [];
    this.qualities = [];
    this.restartsWithoutSuccess = 0;
    this.view.localStream?.getTracks().forEach((t) => t.stop());
    if (this.view.localStream) this.set({ localStream: null });
  }

  private finish(ended: CallView['ended'], extra: Partial<CallView> = {}) {
    this.teardown();
    this.set({ phase: 'ended', ended, remoteStream: null, minimised: false, ...extra });
    window.clearTimeout(this.endedTimer);
    this.endedTimer = window.setTimeout(() => this.dismiss(), ended ? 3500 : 1500);
  }
}
