import { describe, expect, it } from 'vitest';
import { autoBackend } from '../../../src/mask/digital-renderer';
import { isSoftwareRenderer, meshRegion } from '../../../src/mask/webgl-mesh';

describe('render backend choice', () => {
  it('software GL is recognised by its renderer name', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
  });

  it('auto: WebGL2 on a GPU, the CPU painter on software GL or without WebGL2', () => {
    expect(autoBackend(null)).toBe('cpu');
    expect(autoBackend('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe('cpu');
    expect(autoBackend('ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)')).toBe('webgl');
  });
});

describe('meshRegion', () => {
  it('covers every vertex with a margin, in whole pixels, clipped to the frame', () => {
    const a = Float32Array.from([0.25, 0.25, 0, 0.5, 0.5, 0.1]);
    const b = Float32Array.from([0.9, 0.95, 0, 1.2, 0.6, 0]);
    expect(meshRegion([a], 640, 480)).toEqual({ x: 158, y: 118, width: 164, height: 124 });
    expect(meshRegion([a, b], 640, 480)).toEqual({ x: 158, y: 118, width: 482, height: 340 });
  });

  it('is null when no face is in the frame', () => {
    expect(meshRegion([], 640, 480)).toBeNull();
    expect(meshRegion([Float32Array.from([1.5, 1.5, 0, 2, 2, 0])], 640, 480)).toBeNull();
  });
});
