// telemask demo: self-view + a real RTCPeerConnection loopback ("Clinician sees").
// External script only (works under a strict CSP); no innerHTML.
(() => {
  'use strict';
  const selfVideo = document.getElementById('self');
  const remoteVideo = document.getElementById('remote');
  const statusEl = document.getElementById('status');

  /** State for tools (scripts/start.ts polls window.demo). */
  const demo = {
    phase: 'starting',
    error: null,
    cameraLabel: null,
    connectionState: 'new',
    remotePlayingSince: 0, // performance.now() when the clinician view showed its first frame
    remoteFrames: 0,
  };
  window.demo = demo;

  function setStatus(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle('error', !!isError);
  }

  async function connectLoopback(stream) {
    const patient = new RTCPeerConnection();
    const clinician = new RTCPeerConnection();
    // ICE candidates go straight to the other side (same page, no signalling server)
    patient.addEventListener('icecandidate', (e) => {
      if (e.candidate) clinician.addIceCandidate(e.candidate).catch((err) => console.warn('ice', err));
    });
    clinician.addEventListener('icecandidate', (e) => {
      if (e.candidate) patient.addIceCandidate(e.candidate).catch((err) => console.warn('ice', err));
    });
    clinician.addEventListener('track', (e) => {
      remoteVideo.srcObject = e.streams[0] || new MediaStream([e.track]);
      remoteVideo.play().catch(() => {});
    });
    patient.addEventListener('connectionstatechange', () => {
      demo.connectionState = patient.connectionState;
      if (patient.connectionState === 'failed') {
        demo.phase = 'error';
        demo.error = 'peer connection failed';
        setStatus('The loopback call failed to connect.', true);
      }
    });
    for (const track of stream.getTracks()) patient.addTrack(track, stream);
    const offer = await patient.createOffer();
    await patient.setLocalDescription(offer);
    await clinician.setRemoteDescription(offer);
    const answer = await clinician.createAnswer();
    await clinician.setLocalDescription(answer);
    await patient.setRemoteDescription(answer);
    window.demoPeers = { patient, clinician };
  }

  function watchRemote() {
    if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) {
      remoteVideo.addEventListener('playing', () => {
        demo.remotePlayingSince = performance.now();
      }, { once: true });
      return;
    }
    const onFrame = () => {
      demo.remoteFrames++;
      if (!demo.remotePlayingSince) {
        demo.remotePlayingSince = performance.now();
        demo.phase = 'in-call';
        setStatus('In call. Left: what the page got from your camera. Right: what the clinician receives.');
      }
      remoteVideo.requestVideoFrameCallback(onFrame);
    };
    remoteVideo.requestVideoFrameCallback(onFrame);
  }

  async function main() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (e) {
      demo.phase = 'error';
      demo.error = String((e && e.name) || e) + (e && e.message ? ': ' + e.message : '');
      setStatus('Could not open the camera (' + demo.error + ').', true);
      return;
    }
    const track = stream.getVideoTracks()[0];
    demo.cameraLabel = track ? track.label : null;
    selfVideo.srcObject = stream;
    selfVideo.play().catch(() => {});
    demo.phase = 'connecting';
    setStatus('Camera open. Connecting the loopback call…');
    watchRemote();
    try {
      await connectLoopback(stream);
    } catch (e) {
      demo.phase = 'error';
      demo.error = String(e);
      setStatus('The loopback call failed: ' + demo.error, true);
    }
  }

  main();
})();
