// syncstore/react-inspector: the Inspector, a development tool that shows a store, its
// synchronizer's status and peers, and the messages it sends and receives.
export type {InspectorProps} from './inspector.js';
export {Inspector} from './inspector.js';
export type {MessageEntry, MessageLog, MessageLogSnapshot, PeerSummary} from './message-log.js';
export {createMessageLog, DEFAULT_MESSAGE_LIMIT, messageBytes} from './message-log.js';
export type {InspectorPosition} from './styles.js';
