// The demo sync server's --auth module (scripts/start.ts passes it to syncstore-server): token
// access with TinyBase 10.1's authorize. The board "board" is open to everyone. The board "team"
// needs a token in the page URL (`?room=team&token=…`, which the page passes on to the server):
// TEAM_TOKEN may edit it, VIEW_TOKEN may only look. Any other token is refused (closed with 1008).
import type {Authorize} from '../src/server/index.js';

export const OPEN_ROOM = 'board';
export const TEAM_ROOM = 'team';
/** Demo tokens; a real server would check a signed token or a session instead. */
export const TEAM_TOKEN = process.env.DEMO_TEAM_TOKEN ?? 'team-secret';
export const VIEW_TOKEN = process.env.DEMO_VIEW_TOKEN ?? 'team-view';

export const authorize: Authorize = (pathId, request) => {
  if (pathId === OPEN_ROOM) {
    return {};
  }
  if (pathId !== TEAM_ROOM) {
    return undefined;
  }
  const token = new URL(request.url ?? '/', 'http://demo').searchParams.get('token');
  return token === TEAM_TOKEN
    ? {context: {role: 'member'}}
    : token === VIEW_TOKEN
      ? {readOnly: true}
      : undefined;
};
