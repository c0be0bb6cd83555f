// Types of Vite's client features the demo uses (import.meta.env).
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The sync server's WebSocket URL, set by `npm start`. */
  readonly VITE_SYNC_URL?: string;
}
