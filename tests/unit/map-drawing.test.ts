import { describe, expect, it } from 'vitest';
import { holdForKeys, isSoftwareRenderer, KEYS_FIRST_MS, MAX_HOLD_MS, movesDueIn, UNIT_MOVES_DRAWN_EVERY_MS } from '../../renderer/features/map/map-drawing';

describe('software WebGL', () => {
  it('is recognised by its renderer’s name, whoever makes it', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('Google SwiftShader')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Mesa, llvmpipe (LLVM 19.1.7 256 bits), OpenGL 4.5)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBe(false);
  });
});

describe('how often the map draws units’ moves', () => {
  it('draws moves at once after a quiet spell, then no more often than its pace: a second, or longer drawn by the processor', () => {
    expect(movesDueIn('full', 10_000, -Infinity)).toBe(0);
    expect(movesDueIn('full', 10_300, 10_000)).toBe(700);
    expect(movesDueIn('light', 10_300, 10_000)).toBe(2_200);
    expect(UNIT_MOVES_DRAWN_EVERY_MS.light).toBeGreaterThan(UNIT_MOVES_DRAWN_EVERY_MS.full);
  });

  it('drawn by the processor, holds moves while keys are pressed, but never far past when they were due', () => {
    const due = 50_000;
    // A key pressed 100 ms ago: wait until the keys have been quiet a while.
    expect(holdForKeys('light', due, due, due - 100)).toBe(KEYS_FIRST_MS - 100);
    // No key for a while: draw now.
    expect(holdForKeys('light', due, due, due - KEYS_FIRST_MS - 1)).toBe(0);
    // A typist who never stops: held at most MAX_HOLD_MS past due, then drawn.
    expect(holdForKeys('light', due + MAX_HOLD_MS - 100, due, due + MAX_HOLD_MS - 101)).toBe(100);
    expect(holdForKeys('light', due + MAX_HOLD_MS, due, due + MAX_HOLD_MS - 1)).toBe(0);
    // On a graphics card the map keeps its pace whatever the keys.
    expect(holdForKeys('full', due, due, due - 1)).toBe(0);
  });
});
