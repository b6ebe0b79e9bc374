import { type Browser, chromium } from "playwright-core";

/**
 * Launches the Chromium installed on this machine (never a downloaded one). CHROMIUM_PATH picks
 * another binary, e.g. Google Chrome on a CI runner.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      // Without these, Chromium phones home at start-up; on a closed network that is only noise.
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
