/**
 * How the digital mask looks: colours, light and the choices scripts/measure-mask-render.ts
 * compares (docs/mask.md has the measurements behind each). Both painters (cpu-rasterizer.ts,
 * webgl-painter.ts) draw from these, so they draw the same picture.
 */

/** The plain background behind the mask. */
export const BACKGROUND_RGB = [0x4a, 0x52, 0x60] as const;
export const BACKGROUND = '#4a5260';

/**
 * Light straight from the viewer (pixel axes: x right, y down, z away from the camera; the vector
 * points toward the light). Measured (docs/research/mask-look.md): light from a little above made
 * MediaPipe read every mask pitched ~5°; frontal light reads −0.8°.
 */
export const LIGHT = [0, 0, -1] as const;
/** Share of the light that does not depend on the surface's direction. */
export const AMBIENT = 0.3;
/**
 * The catch-light on the eyeball: the reflection of a light a little above and left of the
 * camera, fixed to that light whatever the eye does (a real catch-light stays put as the eye turns).
 */
export const CATCH_LIGHT = normalize([-0.2, -0.22, -1]);
export const CATCH_LIGHT_POWER = 220;
export const CATCH_LIGHT_STRENGTH = 0.4;

// Eyes (the eyeball's own shading, in eye-shading.ts and its GLSL twin in webgl-painter.ts).
export const SCLERA_RGB = [236, 232, 226] as const;
/** The sclera toward the corners, where it turns away and the conjunctiva shows. */
export const SCLERA_EDGE_RGB = [214, 186, 180] as const;
export const IRIS_INNER_RGB = [60, 44, 32] as const;
export const IRIS_OUTER_RGB = [36, 28, 24] as const;
export const LIMBUS_RGB = [34, 30, 30] as const;
export const PUPIL_RGB = [14, 12, 12] as const;
/** Pupil radius as a share of the iris radius. */
export const PUPIL_SHARE = 0.42;
/** The socket beyond the eyeball's outline (the eye's corners): caruncle and shadow. */
export const SOCKET_RGB = [120, 70, 70] as const;
/** Lid margin (the lid's thickness, seen on the lower lid): a moist pink edge. */
export const LID_MARGIN_RGB = [178, 120, 112] as const;
/** Thickness of the lower lid's margin and of the upper lid's lash roots, eye widths. */
export const LOWER_MARGIN = 0.02;
export const UPPER_MARGIN = 0.015;
/** The upper lid's shadow on the eyeball: how far below the lid it reaches (eye widths) and how dark it gets. */
export const LID_SHADOW_REACH = 0.12;
export const LID_SHADOW_DEPTH = 0.3;

// Mouth interior (mouth-shading.ts).
export const MOUTH_CAVITY_RGB = [52, 22, 26] as const;
export const TONGUE_RGB = [128, 62, 64] as const;
export const TEETH_RGB = [226, 220, 204] as const;

/**
 * The look, as scripts/measure-mask-render.ts varies it; the extension draws SHIPPED_LOOK. Set in
 * code only (like the painter choice, digital-renderer.ts).
 */
export interface MaskLook {
  /** 'flat': one shade per triangle (the first mask); 'smooth': per-vertex normals. */
  shading: 'flat' | 'smooth';
  /** Skin texture (skin-texture.ts) or one plain skin colour. */
  textured: boolean;
  /** The eyeballs and the mouth's interior behind the mesh's openings. */
  interiors: boolean;
  /** A generic hood around the face, the same for everyone (head-geometry.ts). */
  head: boolean;
}

export const SHIPPED_LOOK: MaskLook = { shading: 'smooth', textured: true, interiors: true, head: false };

export function normalize(v: readonly number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / n, v[1]! / n, v[2]! / n];
}
