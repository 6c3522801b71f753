import type { CallMedia } from '@anxin/contracts';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useRealtime } from '../../lib/realtime';
import { useSession } from '../session/SessionContext';
import { CallOverlay } from './CallOverlay';
import { CallEngine, openDevices, type CallView } from './engine';
import { IncomingCallSheet } from './IncomingCallSheet';
import { classifyMediaError, type MediaProblem } from './model';
import { PermissionSheets, type Prompt } from './PermissionSheets';

interface CallsContextValue {
  view: CallView;
  engine: CallEngine;
  /** Start a call from a consultation: explains why the microphone (and camera) is needed, then asks for it. */
  startCall: (consultationId: string, media: CallMedia) => void;
  /** Answer the ringing call (video, or voice only). */
  answer: (video: boolean) => void;
  /** Bumped whenever a call ends, so timelines reload. */
  endedCount: number;
}

const CallsContext = createContext<CallsContextValue | null>(null);

export function useCalls(): CallsContextValue | null {
  return useContext(CallsContext);
}

/** Whether the browser already lets us use these devices (then the purpose was explained before). */
async function alreadyGranted(video: boolean): Promise<boolean> {
  try {
    const q = (name: string) => navigator.permissions.query({ name: name as PermissionName });
    const mic = await q('microphone');
    if (mic.state !== 'granted') return false;
    return !video || (await q('camera')).state === 'granted';
  } catch {
    return false;
  }
}

/**
 * Calls for the whole signed-in app (doctor and patient): mounted once in the app shell, so an incoming call
 * rings on whatever screen the person is, and a call stays up while they move around (the chat stays reachable;
 * the call screen can be minimised).
 */
export function CallProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  // Only a signed-in doctor or patient who accepted the policy has calls (the app's socket is open for them).
  if (!me || me.stage !== 'active' || me.policy.needsAcceptance || me.app === 'staff') return <>{children}</>;
  return <SignedInCalls key={me.id}>{children}</SignedInCalls>;
}

function SignedInCalls({ children }: { children: ReactNode }) {
  const realtime = useRealtime();
  const engine = useMemo(() => new CallEngine(realtime), [realtime]);
  useEffect(() => {
    engine.start();
    return () => engine.dispose();
  }, [engine]);
  const view = useSyncExternalStore(engine.subscribe, engine.getView);
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [endedCount, setEndedCount] = useState(0);
  useEffect(() => {
    if (view.phase === 'ended') setEndedCount((n) => n + 1);
  }, [view.phase]);

  /**
   * Open the devices for a call. A refused camera offers voice only; a refused microphone explains how to allow it.
   * Resolves with the stream, or null when the person has to do something first (a sheet says what).
   */
  const acquire = useCallback(
    async (video: boolean, then: (stream: MediaStream, media: CallMedia) => void, answering: boolean) => {
      try {
        then(await openDevices(video), video ? 'video' : 'voice');
        return;
      } catch (err) {
        const problem: MediaProblem = classifyMediaError(err, video);
        if (video && (problem === 'camera_denied' || problem === 'no_device' || problem === 'in_use')) {
          // Is it only the camera? Then voice still works.
          try {
            const audio = await openDevices(false);
            setPrompt({ kind: 'camera', answering, onVoice: () => then(audio, 'voice'), stream: audio });
            return;
          } catch (audioErr) {
            setPrompt({ kind: 'problem', problem: classifyMediaError(audioErr, false) });
            return;
          }
        }
        setPrompt({ kind: 'problem', problem });
      }
    },
    [],
  );

  const startCall = useCallback(
    (consultationId: string, media: CallMedia) => {
      const go = () => void acquire(media === 'video', (stream, m) => engine.call(consultationId, m, stream), false);
      void alreadyGranted(media === 'video').then((granted) => {
        if (granted) go();
        else setPrompt({ kind: 'purpose', media, onContinue: go });
      });
    },
    [acquire, engine],
  );

  const answer = useCallback(
    (video: boolean) => {
      // The incoming-call sheet states the purpose right above the answer buttons.
      void acquire(video, (stream) => engine.accept(stream), true);
    },
    [acquire, engine],
  );

  const value = useMemo(
    () => ({ view, engine, startCall, answer, endedCount }),
    [view, engine, startCall, answer, endedCount],
  );
  return (
    <CallsContext.Provider value={value}>
      {children}
      <CallOverlay />
      <IncomingCallSheet />
      <PermissionSheets prompt={prompt} onClose={() => setPrompt(null)} />
    </CallsContext.Provider>
  );
}
