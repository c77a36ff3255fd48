/**
 * "See what your clinician sees": the camera through the call's own pipeline
 * (src/self-view/self-view-camera.ts), the masked output large and the camera small ("only you see
 * this"), the pipeline's live speed and delay, the style picker, and a masked clip to record and save.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { sendMessage } from '@/src/channel/messaging';
import type { StatusReport } from '@/src/channel/protocol';
import { t } from '@/src/i18n/messages';
import type { Controls } from '@/src/settings/controls';
import type { MaskStyle } from '@/src/settings/style';
import { canRecord, ClipRecorder, MAX_CLIP_MINUTES, type Clip } from '@/src/self-view/clip-recorder';
import { openSelfViewCamera, type SelfViewCamera } from '@/src/self-view/self-view-camera';
import { perfText, StatusLine } from '@/src/ui/StatusLine';
import { StylePicker } from '@/src/ui/StylePicker';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const seconds = (s: number) => s.toFixed(1);

function clipName(now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  return `telemask-masked-clip-${stamp}.webm`;
}

export function SelfViewApp() {
  const masked = useRef<HTMLVideoElement>(null);
  const original = useRef<HTMLVideoElement>(null);
  const [view, setView] = useState<SelfViewCamera | null>(null);
  const [controls, setControls] = useState<Controls | null>(null);
  const [report, setReport] = useState<StatusReport>({ status: 'starting' });
  const [perf, setPerf] = useState<StatusReport['perf']>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [recorder, setRecorder] = useState<ClipRecorder | null>(null);
  const [recorded, setRecorded] = useState(0);
  const [clip, setClip] = useState<{ clip: Clip; url: string; name: string } | null>(null);

  useEffect(() => {
    const lifecycle = new AbortController();
    window.addEventListener('pagehide', () => lifecycle.abort(), { once: true });
    const load = async () => {
      const first = await sendMessage('getControls', undefined);
      setControls(first);
      const camera = await openSelfViewCamera(
        first.style,
        (next) => {
          setReport(next);
          if (next.perf) setPerf(next.perf);
        },
        () => setEnded(true),
        lifecycle.signal,
      );
      setView(camera);
    };
    load().catch((error: unknown) => setProblem(describe(error)));
    return () => lifecycle.abort();
  }, []);

  useEffect(() => {
    if (!view) return;
    if (masked.current) masked.current.srcObject = view.session.output;
    if (original.current) original.current.srcObject = view.camera;
  }, [view]);

  useEffect(() => {
    if (!recorder) return;
    const timer = setInterval(() => setRecorded(recorder.elapsed()), 250);
    return () => clearInterval(timer);
  }, [recorder]);

  useEffect(() => () => void (clip && URL.revokeObjectURL(clip.url)), [clip]);

  const chooseStyle = (style: MaskStyle) => {
    sendMessage('setStyle', style)
      .then((next) => {
        setControls(next);
        view?.setStyle(next.style);
      })
      .catch((error: unknown) => setProblem(describe(error)));
  };

  const startRecording = () => {
    if (!view) return;
    setClip(null);
    setRecorded(0);
    const next = new ClipRecorder(view.session, (done) => {
      setRecorder(null);
      setClip({ clip: done, url: URL.createObjectURL(done.blob), name: clipName(new Date()) });
    });
    next.start();
    setRecorder(next);
  };
  const stopRecording = () => void recorder?.stop();

  const status = report.status;
  return (
    <main>
      <h1>{t('selfViewTitle')}</h1>
      <p class="lead">{t('selfViewIntro')}</p>
      {problem ? (
        <p class="status status-error" role="alert" data-status="problem">
          {t('selfViewCameraProblem', problem)}
        </p>
      ) : null}
      {!view && !problem ? <p class="hint">{t('selfViewCameraAsk')}</p> : null}
      {ended ? <p class="hint" role="status">{t('selfViewStopped')}</p> : null}
      <div class="views">
        <figure class="masked">
          <video ref={masked} id="masked-view" autoPlay muted playsInline aria-describedby="masked-caption" />
          <figcaption id="masked-caption">{t('selfViewMasked')}</figcaption>
        </figure>
        <div class="side">
          <StatusLine status={status} problem={report.problem} detail={false} />
          <p class="perf" id="perf" aria-live="off" data-fps={perf?.fps ?? ''} data-delay={perf?.latencyMs ?? ''}>
            {perf ? perfText(perf) : t('selfViewMeasuring')}
          </p>
          <figure class="original">
            <video ref={original} id="original-view" autoPlay muted playsInline aria-describedby="original-caption" />
            <figcaption id="original-caption">{t('selfViewOriginal')}</figcaption>
          </figure>
          {controls ? <StylePicker controls={controls} onChoose={chooseStyle} /> : null}
        </div>
      </div>
      <section class="record" aria-labelledby="record-title">
        <h2 id="record-title">{t('recordStart')}</h2>
        <p>{t('recordNote')}</p>
        {canRecord() ? (
          <>
            {recorder ? (
              <button type="button" id="record-stop" class="primary stop" onClick={stopRecording}>
                {t('recordStop')}
              </button>
            ) : (
              <button type="button" id="record-start" class="primary" disabled={!view || ended} onClick={startRecording}>
                {t('recordStart')}
              </button>
            )}
            <span class="recording" role="status" id="record-status">
              {recorder ? t('recording', seconds(recorded)) : clip ? t('recordSaved', seconds(clip.clip.seconds)) : ''}
            </span>
            {clip ? (
              <p>
                <a id="record-save" class="button" href={clip.url} download={clip.name} data-seconds={clip.clip.seconds}>
                  {t('recordSave', seconds(clip.clip.seconds))}
                </a>
              </p>
            ) : null}
            <p class="hint">{t('recordLimit', MAX_CLIP_MINUTES)}</p>
          </>
        ) : (
          <p>{t('recordUnavailable')}</p>
        )}
      </section>
    </main>
  );
}
