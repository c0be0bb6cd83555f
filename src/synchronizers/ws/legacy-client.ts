// The legacy (one synchronizer per socket) client mode: every frame on the socket is a payload of
// docs/protocol.md §6.2/§4.2. Invalid traffic closes the socket (1007/1013), as TinyBase's client does; an
// owned link then reconnects.
import {ExtensionLink} from '../extensions/extension-link.js';
import {
  decodeExtensionFrame,
  EXTENSION_SUBPROTOCOL,
  isExtensionPayload,
} from '../extensions/wire.js';
import {createRandomId} from '../ids.js';
import {Message} from '../types.js';
import {PayloadDecoder} from './decoder.js';
import {asTransportError, closeCodeFor, overflowError} from './errors.js';
import {encodeRemainder} from './frames.js';
import type {SocketLink} from './socket-link.js';
import {payloadFits, WsTransport} from './transport.js';

/** The client id of a syncstore server's own store in every room. */
export const SERVER_STORE_ID = 'S';
const SERVER_PREFIX = `${SERVER_STORE_ID}\n`;

export type LegacyClient = {transport: WsTransport; extensions: ExtensionLink; destroy(): void};

export const createLegacyClient = (
  link: SocketLink,
  requestTimeoutSeconds: number,
  fragmentSize: number | undefined,
  onExtensionError: (error: Error) => void,
  maxMessageBytes?: number,
): LegacyClient => {
  // Open only while the socket was opened with the extension subprotocol (docs/protocol.md §8.1).
  const extensions = new ExtensionLink(onExtensionError);
  const transport = new WsTransport(
    {
      isReady: () => link.isOpen(),
      // A legacy socket gives up when full (docs/protocol.md §6.7); the engine resyncs after reconnecting.
      sendPayload: (payload) => {
        if (!payloadFits(link.getBufferedAmount(), payload)) {
          const error = overflowError('socket');
          link.closeSocket(closeCodeFor(error), error.message);
          throw error;
        }
        link.send(payload);
      },
      // (A legacy socket queues nothing of its own: the socket's buffer is all.)
      afterSent: (callback) => link.afterWritten(callback),
    },
    fragmentSize,
    link.isOpen() ? 'online' : 'connecting',
    maxMessageBytes,
  );
  const decoder = new PayloadDecoder(Math.max(1, requestTimeoutSeconds) * 1000);
  /** Set once the current socket's traffic was invalid: nothing more from it is handled. */
  let failed = false;

  // The node in the status (docs/protocol.md §7.4): the URL of an owned link, and the node id
  // the server gave in its handshake, if any.
  let reportedNode = '';
  const reportNode = (): void => {
    const url = link.getUrl?.();
    if (url === undefined) {
      return;
    }
    const nodeId = extensions.getPeer()?.nodeId;
    const node = nodeId === undefined ? {url} : {url, nodeId};
    const key = JSON.stringify(node);
    if (key !== reportedNode) {
      reportedNode = key;
      transport.setLinkDetails({node});
    }
  };
  reportNode();
  const removeStateListener = extensions.addStateListener(reportNode);

  // Heartbeat probe for sockets without WebSocket pings: ask the server's store for its hashes.
  // Its answer is swallowed here rather than reaching the engine.
  let probeResponsePrefix: string | undefined;
  link.setProbe(() => {
    const probeId = `probe.${createRandomId(8)}`;
    probeResponsePrefix = `${SERVER_PREFIX}${JSON.stringify([probeId, Message.Response]).slice(0, -1)},`;
    link.send(`${SERVER_PREFIX}${encodeRemainder(probeId, Message.GetContentHashes, '')}`);
  });

  const removeListener = link.addListener({
    onConnecting: () => {
      reportNode();
      transport.setConnection('connecting');
    },
    onOpen: () => {
      reportNode();
      failed = false;
      decoder.reset();
      // Before 'online', so the pull that going online starts finds the link negotiating and can
      // wait for the features (docs/protocol.md §8.1, §8.5).
      if (link.getWebSocket()?.protocol === EXTENSION_SUBPROTOCOL) {
        // A feature's timer (say presence's throttle) may fire between the socket starting to
        // close and its close event: that frame is dropped, not thrown from the timer.
        extensions.open((payload) => {
          if (!link.isOpen()) {
            return false;
          }
          link.send(payload);
          return true;
        });
      }
      transport.setConnection('online');
    },
    onClose: (error) => {
      // A message the server had not finished sending will not be finished on another socket.
      decoder.reset();
      extensions.close();
      transport.setConnection('offline', error === undefined ? undefined : asTransportError(error));
    },
    onMessage: (payload) => {
      if (failed) {
        return;
      }
      if (probeResponsePrefix !== undefined && payload.startsWith(probeResponsePrefix)) {
        probeResponsePrefix = undefined;
        return;
      }
      if (extensions.getState() !== 'unavailable' && isExtensionPayload(payload)) {
        const frame = decodeExtensionFrame(payload);
        if (frame === undefined) {
          onExtensionError(new Error('invalid extension frame from the server'));
        } else {
          extensions.receive(frame);
        }
        return;
      }
      const result = decoder.decode(payload);
      if (result.status === 'message') {
        transport.deliver(result);
      } else if (result.status === 'pending') {
        transport.noteProgress(result.prefix);
      } else if (result.status === 'error') {
        failed = true;
        transport.setConnection('offline', result.error);
        link.closeSocket(closeCodeFor(result.error), result.error.message);
      }
    },
  });

  return {
    transport,
    extensions,
    destroy: () => {
      removeListener();
      removeStateListener();
      extensions.close();
      decoder.reset();
      link.destroy();
    },
  };
};
