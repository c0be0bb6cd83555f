// Rooms are addressed by the path of the WebSocket URL (docs/protocol.md §6.4): the part after the first "/"
// up to "?". `ws://host/room1?x` is room `room1`, `ws://host/` room "", `/a/b` room `a/b`.

const PATH = /\/([^?]*)/;

/** The room id of a request URL, or undefined when the URL has no path. */
export const pathIdFromUrl = (url: string | undefined): string | undefined => {
  const match = url === undefined ? null : PATH.exec(url);
  return match === null ? undefined : match[1];
};
