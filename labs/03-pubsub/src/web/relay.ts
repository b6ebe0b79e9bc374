import type { RedisClientType } from "redis";
import { type GpsEvent, parseGpsEvent } from "./gps-event.ts";
import type { Hub } from "./hub.ts";
import { rateLimitedLog } from "./rate-limited-log.ts";

export interface RelayOptions {
  /** A connection of its own: once subscribed, it can run no other command. */
  subscriber: RedisClientType;
  channel: string;
  hub: Hub;
  /** Told of every valid record before the browsers are, whether any is connected or not (the page's dashboard). */
  onEvent?: (event: GpsEvent) => void;
  log: (line: string) => void;
}

/**
 * The process's one Redis subscription, relayed to the hub: each message is validated, then
 * broadcast to every browser. An invalid message is counted and logged (at most once every 10
 * s), and goes no further.
 *
 * node-redis reconnects by itself and subscribes again before it reports `ready`; the relay
 * turns these connection events into `status` events for the browsers.
 */
export class Relay {
  readonly #subscriber: RedisClientType;
  readonly #channel: string;
  readonly #hub: Hub;
  readonly #onEvent: (event: GpsEvent) => void;
  readonly #log: (line: string) => void;
  readonly #logInvalid: (line: string) => void;
  #subscribed = false;
  #eventsRelayed = 0;
  #invalidMessages = 0;

  constructor(options: RelayOptions) {
    this.#subscriber = options.subscriber;
    this.#channel = options.channel;
    this.#hub = options.hub;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#log = options.log;
    this.#logInvalid = rateLimitedLog(options.log, 10_000);
    this.#subscriber.on("ready", this.#onReady).on("reconnecting", this.#onReconnecting);
  }

  /**
   * Subscribes; resolves once Redis has confirmed. Call it once the subscriber is connected.
   * node-redis only subscribes again after a reconnection to channels it had confirmed, so a
   * SUBSCRIBE cut short by a lost connection is retried here once the connection is back.
   */
  async start(): Promise<void> {
    for (;;) {
      try {
        await this.#subscriber.subscribe(this.#channel, this.#onMessage);
        this.#subscribed = true;
        return;
      } catch (error) {
        // Only a lost connection is worth waiting for: a closed client or a refusal is final.
        if (!this.#subscriber.isOpen || this.#subscriber.isReady) throw error;
        this.#log(
          `web: could not subscribe to ${this.#channel} (${String(error)}), retrying once reconnected`,
        );
        if (!this.#subscriber.isReady) {
          await new Promise((resolve) => this.#subscriber.once("ready", resolve));
        }
      }
    }
  }

  /** Subscribed, and the connection is up: messages are flowing. */
  get ready(): boolean {
    return this.#subscribed && this.#subscriber.isReady;
  }

  get eventsRelayed(): number {
    return this.#eventsRelayed;
  }

  get invalidMessages(): number {
    return this.#invalidMessages;
  }

  async close(): Promise<void> {
    this.#subscriber.off("ready", this.#onReady).off("reconnecting", this.#onReconnecting);
    if (this.#subscribed && this.#subscriber.isReady) {
      // Closing the connection unsubscribes too: a failure here (Redis just went away) is no loss.
      await this.#subscriber.unsubscribe(this.#channel, this.#onMessage).catch(() => {});
    }
    this.#subscribed = false;
  }

  readonly #onMessage = (message: string): void => {
    const parsed = parseGpsEvent(message, Date.now());
    if (!parsed.ok) {
      this.#invalidMessages++;
      this.#logInvalid(`web: ignored an invalid message on ${this.#channel}: ${parsed.error}`);
      return;
    }
    this.#eventsRelayed++;
    this.#onEvent(parsed.event);
    this.#hub.broadcast(parsed.event);
  };

  readonly #onReady = (): void => this.#hub.setStatus("connected");
  readonly #onReconnecting = (): void => this.#hub.setStatus("reconnecting");
}
