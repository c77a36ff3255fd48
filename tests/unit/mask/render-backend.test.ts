import { describe, expect, it } from 'vitest';
import { autoBackend } from '../../../src/mask/digital-renderer';
import { sceneRect } from '../../../src/mask/cpu-rasterizer';
import type { FaceScene } from '../../../src/mask/face-scene';
import { isSoftwareRenderer } from '../../../src/mask/webgl-painter';

describe('render backend choice', () => {
  it('software GL is recognised by its renderer name', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
  });

  it('auto: WebGL2 on a GPU, the CPU rasterizer on software GL or without WebGL2', () => {
    expect(autoBackend(null)).toBe('cpu');
    expect(autoBackend('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe('cpu');
    expect(autoBackend('ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)')).toBe('webgl');
  });
});

describe('sceneRect', () => {
  const scene = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 }) as FaceScene;
  it('covers every vertex with a margin, in whole pixels, clipped to the frame', () => {
    expect(sceneRect(scene(160, 120, 320, 240), 640, 480)).toEqual({ x0: 158, y0: 118, x1: 322, y1: 242 });
    expect(sceneRect(scene(576, 400, 768, 560), 640, 480)).toEqual({ x0: 574, y0: 398, x1: 640, y1: 480 });
  });

  it('is null when the face is outside the frame', () => {
    expect(sceneRect(scene(960, 720, 1280, 960), 640, 480)).toBeNull();
  });
});
