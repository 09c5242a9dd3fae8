import type { BrowserContext, LaunchOptions, BrowserContextOptions } from 'playwright-core';

export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: readonly string[];
export function chromiumAvailable(): boolean;
export function launchChromium(
  options?: Omit<LaunchOptions, 'executablePath' | 'headless' | 'args'> & BrowserContextOptions,
): Promise<{ context: BrowserContext; profile: string; close(): Promise<void> }>;
