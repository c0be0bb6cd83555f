// The transport-independent synchronizer engine (spec §3, §6): TinyBase's protocol, message for
// message, over any `send` / `registerReceive` pair, plus syncstore's sync status, connection
// handling and retries.
//
// Sync status transitions (getSyncStatus / addSyncStatusListener; listeners fire only when a field
// changes):
//
//   connection  starts as `link.initialConnection` (default 'online'); then whatever the transport
//               reports through setConnection(). destroy() sets 'offline'.
//   phase       'idle'    before startSync, after stopSync/destroy, while the connection is not
//                         'online', and when a pull found no peer to answer its GetContentHashes
//                         (a lone peer is not an error).
//               'syncing' while a pull runs (startSync's load, a pull triggered by a peer's
//                         ContentHashes, the pull after a reconnect), while a retry of a failed pull
//                         is scheduled, and after a pull that left this peer with content the other
//                         lacks, until that peer has pulled it.
//               'synced'  when a pull ends with this peer's content hashes equal to the other's, or
//                         when a peer finished pulling what this peer announced.
//   pendingChanges  grows with each distinct cell/value changed locally while auto-saving but not
//               'online' (or when a ContentDiff could not be sent); back to 0 when this peer
//               announces its content (ContentHashes) on an open transport, i.e. on reconnect.
//   lastSyncedAt   Date.now() whenever phase becomes (or is confirmed) 'synced'.
//   error       the last problem: an invalid or rejected message, a rejected change set, a timeout,
//               an overflow, a transport failure, or this peer's clock running ahead of its peers.
//               A later successful sync clears it, except the clock warning, which only clears
//               when a peer's edit shows the clocks agree again.
//
// Echo suppression: changes applied from the network are merged inside `applyingRemote`, and the
// transaction listener ignores transactions finishing then, so nothing received is re-broadcast.
//
// Local changes: each finished local transaction's changes are collected and sent as one
// ContentDiff in a microtask, so several transactions in one tick travel as one message.
//
// Timeouts and retries (large content always syncs): a request whose timer fires late because the
// event loop was busy gets another full timeout (requests.ts). A pull that fails for any other
// reason than "no peer answered GetContentHashes" is retried, while syncing and online, after
// max(100 ms, timeout) x 2^(attempt-1) (at most 30 s), and each retry's request timeout is the
// base timeout x 2^attempt (at most 10 min), so some attempt outlasts whatever a large diff needs.
// Meanwhile the status shows phase 'syncing' with the error. A pull triggered by a peer's
// ContentHashes that fails first falls back at once to a pull from any peer (spec §3.5).

import type {
  Content,
  ContentHashes,
  Id,
  MergeableChanges,
  MergeableStore,
  MergeableStoreInternals,
  TablesStamp,
  ValuesStamp,
} from '../store/types.js';
import {
  ChangeCoalescer,
  forEachLeafHlc,
  isEmptyChanges,
  isEmptyObject,
  mergeTablesStampInto,
  PendingChangeSet,
} from './change-trees.js';
import {ClockSkewDetector} from './clock-skew.js';
import {ErrorCode, isSyncErrorWithCode, SyncError, toError} from './errors.js';
import {createTransactionId, getTransactionIdOf} from './ids.js';
import {getMessageName, validateMessage} from './messages.js';
import {PendingRequests} from './requests.js';
import {INITIAL_SYNC_STATUS, SyncStatusHolder} from './sync-status.js';
import {
  type Connection,
  type IgnoredErrorListener,
  Message,
  type Receive,
  type RegisterReceive,
  type Send,
  Status,
  type StatusListener,
  type Synchronizer,
  type SyncStatus,
  type SyncStatusListener,
  type TransportLink,
} from './types.js';

/** syncstore's optional 9th argument to createCustomSynchronizer. */
export type CustomSynchronizerOptions = {
  /** The transport's link state at creation (default 'online'); report changes via setConnection. */
  initialConnection?: Connection;
};

/** A Synchronizer whose transport can report its link. */
export type CustomSynchronizer = Synchronizer & TransportLink;

/** Retries of a failed pull wait this long times 2^attempt, at most MAX_RETRY_DELAY_MS. */
const MIN_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 30_000;
/** A retried pull's request timeout doubles each attempt, up to this. */
const MAX_REQUEST_TIMEOUT_MS = 10 * 60_000;
/** How many recent ContentHashes announcements to recognise peers' pulls of. */
const RECENT_ANNOUNCEMENTS = 16;

/** A broadcast GetContentHashes that nobody answered: no peer is reachable right now. */
class NoPeerAnswered extends Error {
  constructor(timeout: Error) {
    super(timeout.message, {cause: timeout});
  }
}

type PullTrigger = 'load' | 'announcement' | 'fallback' | 'retry' | 'reconnect';
type PullResult = {changes: MergeableChanges; peerHashes: ContentHashes; peerId: Id};

/**
 * Creates a synchronizer over a transport given as functions (spec §3.1): `send` a message to a
 * peer (or `null` for all), `registerReceive` to be handed the function that takes incoming ones
 * (and a `fail` function to report a broken transport), and `destroy` to tear the transport down.
 */
export function createCustomSynchronizer(
  store: MergeableStore,
  send: Send,
  registerReceive: RegisterReceive,
  destroyTransport: () => void,
  requestTimeoutSeconds: number,
  onSend?: Send,
  onReceive?: Receive,
  onIgnoredError?: IgnoredErrorListener,
  link?: CustomSynchronizerOptions,
): CustomSynchronizer {
  const internals = store as MergeableStore & MergeableStoreInternals;
  const baseTimeoutMs = Math.max(0, requestTimeoutSeconds * 1000);

  let syncing = false;
  let autoLoading = false;
  let autoSaving = false;
  let destroyed = false;
  let status: Status = Status.Idle;
  let loads = 0;
  let saves = 0;
  let sends = 0;
  let receives = 0;
  /** > 0 while merging data that came from the network (echo suppression). */
  let applyingRemote = 0;
  let activePulls = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryAttempt = 0;
  let clockWarning: Error | null = null;
  let nextListenerId = 0;

  const statusListeners = new Map<Id, StatusListener>();
  const syncStatusListeners = new Map<Id, SyncStatusListener>();
  const outgoing = new ChangeCoalescer();
  let flushScheduled = false;
  const pendingChanges = new PendingChangeSet();
  const clockSkew = new ClockSkewDetector();
  const recentAnnouncements: string[] = [];
  /** `peerHashes>ownHashes` pairs after which this peer announced being ahead. */
  const aheadAnnouncements: string[] = [];

  const syncStatus = new SyncStatusHolder(
    {...INITIAL_SYNC_STATUS, connection: link?.initialConnection ?? 'online'},
    (current) => {
      for (const listener of [...syncStatusListeners.values()]) {
        callSafely(() => listener(current, synchronizer));
      }
    },
  );

  const isActive = () => syncing || autoLoading || autoSaving;
  const isOnline = () => syncStatus.current.connection === 'online';

  // --- reporting -------------------------------------------------------------------------------

  function callSafely(action: () => void): void {
    try {
      action();
    } catch {
      // A throwing listener must not break synchronization.
    }
  }

  /** Every rejected or failed thing ends here: onIgnoredError, and the status unless told not to. */
  function reportError(error: Error, intoStatus = true): void {
    if (onIgnoredError) {
      callSafely(() => onIgnoredError(error));
    }
    if (intoStatus) {
      syncStatus.update({error});
    }
  }

  function setStatus(next: Status): void {
    if (status !== next) {
      status = next;
      for (const listener of [...statusListeners.values()]) {
        callSafely(() => listener(synchronizer, next));
      }
    }
  }

  function markSynced(): void {
    // A successful sync clears a past error, but not a standing clock warning.
    syncStatus.update({phase: 'synced', lastSyncedAt: Date.now(), error: clockWarning});
  }

  // Status is Loading while any load or merge runs (they may overlap), Saving while sending.
  let loadingCount = 0;
  function beginLoading(): void {
    loadingCount++;
    setStatus(Status.Loading);
  }
  function endLoading(): void {
    loadingCount--;
    if (loadingCount === 0) {
      setStatus(Status.Idle);
    }
  }

  /** The phase once nothing is running: keeps 'synced', otherwise back to 'idle'. */
  function settlePhase(): void {
    if (activePulls === 0 && retryTimer === undefined && syncStatus.current.phase === 'syncing') {
      syncStatus.update({phase: 'idle'});
    }
  }

  // --- sending ---------------------------------------------------------------------------------

  function sendMessage(
    toClientId: Id | null,
    requestId: Id | null,
    message: Message,
    body: unknown,
  ): void {
    sends++;
    onSend?.(toClientId, requestId, message, body);
    send(toClientId, requestId, message, body);
  }

  const requests = new PendingRequests((toClientId, requestId, message, body) => {
    if (!isOnline()) {
      throw new SyncError(
        ErrorCode.TransportFailure,
        `cannot send ${getMessageName(message)}: connection is ${syncStatus.current.connection}`,
      );
    }
    sendMessage(toClientId, requestId, message, body);
  });

  async function request<Body>(
    toClientId: Id | null,
    message: Message,
    body: unknown,
    transactionId: string,
    timeoutMs: number,
  ): Promise<{body: Body; fromClientId: Id}> {
    const response = await requests.request(toClientId, message, body, transactionId, timeoutMs);
    return response as {body: Body; fromClientId: Id};
  }

  /** Broadcasts this peer's content hashes: "pull from me" (spec §3.6 flow 2). */
  function announce(): boolean {
    if (!isOnline() || destroyed) {
      return false;
    }
    const transactionId = createTransactionId();
    try {
      sendMessage(null, transactionId, Message.ContentHashes, store.getMergeableContentHashes());
    } catch (error) {
      reportError(toError(error));
      return false;
    }
    recentAnnouncements.push(transactionId);
    if (recentAnnouncements.length > RECENT_ANNOUNCEMENTS) {
      recentAnnouncements.shift();
    }
    pendingChanges.clear();
    syncStatus.update({pendingChanges: 0});
    return true;
  }

  // --- local changes ---------------------------------------------------------------------------

  function onLocalTransaction(): void {
    if (applyingRemote > 0 || !autoSaving || destroyed) {
      return;
    }
    const changes = internals.getEncodedTransactionChanges();
    if (isEmptyChanges(changes)) {
      return;
    }
    noteNewestLocalHlc(changes);
    if (!isOnline()) {
      holdBack(changes);
      return;
    }
    outgoing.add(changes);
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flushOutgoing);
    }
  }

  function noteNewestLocalHlc(changes: MergeableChanges): void {
    let newest = '';
    forEachLeafHlc(changes, (hlc) => {
      if (hlc > newest) {
        newest = hlc;
      }
    });
    if (newest) {
      clockSkew.noteLocalHlc(newest);
    }
  }

  /** Counts changes that could not be sent; they reach peers with the next announcement. */
  function holdBack(changes: MergeableChanges): void {
    pendingChanges.add(changes);
    syncStatus.update({pendingChanges: pendingChanges.count});
  }

  function flushOutgoing(): void {
    flushScheduled = false;
    const changes = outgoing.take();
    if (changes === undefined || destroyed) {
      return;
    }
    if (!isOnline()) {
      holdBack(changes);
      return;
    }
    setStatus(Status.Saving);
    saves++;
    try {
      sendMessage(null, createTransactionId(), Message.ContentDiff, changes);
    } catch (error) {
      holdBack(changes);
      reportError(toError(error));
    } finally {
      setStatus(Status.Idle);
    }
  }

  const transactionListenerId = store.addDidFinishTransactionListener(onLocalTransaction);

  // --- applying what peers sent ----------------------------------------------------------------

  /** Merges changes that came from `peerId`; returns false (and reports why) if rejected. */
  function applyRemote(changes: MergeableChanges, what: string, peerId: Id): boolean {
    applyingRemote++;
    beginLoading();
    loads++;
    let rejection: string | undefined;
    try {
      rejection = internals.applyEncodedMergeableChanges(changes);
    } catch (error) {
      rejection = toError(error).message;
    } finally {
      applyingRemote--;
      endLoading();
    }
    if (rejection !== undefined) {
      reportError(
        new SyncError(
          ErrorCode.InvalidMessage,
          `rejected ${what} from peer ${JSON.stringify(peerId)}: ${rejection}`,
        ),
      );
      return false;
    }
    return true;
  }

  /** Applies content defaults without broadcasting them (they carry empty HLCs, spec §8.4). */
  function applyDefaultContent(initialContent: Content | (() => Content)): void {
    applyingRemote++;
    try {
      store.setDefaultContent(initialContent);
    } finally {
      applyingRemote--;
    }
  }

  function checkPeerClock(changes: MergeableChanges, peerId: Id): void {
    let newest = '';
    forEachLeafHlc(changes, (hlc) => {
      if (hlc > newest) {
        newest = hlc;
      }
    });
    if (!newest) {
      return;
    }
    const aheadMs = clockSkew.checkPeerHlc(newest);
    if (aheadMs > 0) {
      const minutes = Math.round(aheadMs / 60_000);
      clockWarning = new SyncError(
        ErrorCode.InvalidMessage,
        `clock ahead of peers by ~${minutes} min (peer ${JSON.stringify(peerId)} stamps its edits ` +
          `${minutes} min earlier); your edits will be rejected by peers, which accept at most 5 min ` +
          'ahead of their own clock: check this device’s time',
      );
      reportError(clockWarning);
    } else if (clockWarning !== null) {
      const stale = clockWarning;
      clockWarning = null;
      if (syncStatus.current.error === stale) {
        syncStatus.update({error: null});
      }
    }
  }

  // --- the pull (spec §3.5) --------------------------------------------------------------------

  async function pull(
    peerId: Id | null,
    peerHashes: ContentHashes | undefined,
    transactionId: string,
    timeoutMs: number,
  ): Promise<PullResult> {
    if (peerHashes === undefined || peerId === null) {
      let response: {body: ContentHashes; fromClientId: Id};
      try {
        response = await request<ContentHashes>(
          null,
          Message.GetContentHashes,
          '',
          transactionId,
          timeoutMs,
        );
      } catch (error) {
        throw isSyncErrorWithCode(error, ErrorCode.ResponseTimeout)
          ? new NoPeerAnswered(toError(error))
          : error;
      }
      peerHashes = response.body;
      peerId = response.fromClientId;
    }
    const [peerTablesHash, peerValuesHash] = peerHashes;
    const [tablesHash, valuesHash] = store.getMergeableContentHashes();
    let tables: TablesStamp = [{}];
    if (tablesHash !== peerTablesHash) {
      const tableDiff = await request<[TablesStamp, {[tableId: Id]: number}]>(
        peerId,
        Message.GetTableDiff,
        store.getMergeableTableHashes(),
        transactionId,
        timeoutMs,
      );
      const [newTables, differingTableHashes] = tableDiff.body;
      tables = newTables;
      if (!isEmptyObject(differingTableHashes)) {
        const rowDiff = await request<[TablesStamp, {[tableId: Id]: {[rowId: Id]: number}}]>(
          peerId,
          Message.GetRowDiff,
          store.getMergeableRowHashes(differingTableHashes),
          transactionId,
          timeoutMs,
        );
        const [newRows, differingRowHashes] = rowDiff.body;
        mergeTablesStampInto(tables, newRows);
        if (!isEmptyObject(differingRowHashes)) {
          const cellDiff = await request<TablesStamp>(
            peerId,
            Message.GetCellDiff,
            store.getMergeableCellHashes(differingRowHashes),
            transactionId,
            timeoutMs,
          );
          mergeTablesStampInto(tables, cellDiff.body);
        }
      }
    }
    let values: ValuesStamp = [{}];
    if (valuesHash !== peerValuesHash) {
      const valueDiff = await request<ValuesStamp>(
        peerId,
        Message.GetValueDiff,
        store.getMergeableValueHashes(),
        transactionId,
        timeoutMs,
      );
      values = valueDiff.body;
    }
    return {changes: [tables, values, 1], peerHashes, peerId};
  }

  function timeoutForAttempt(attempt: number): number {
    return Math.min(baseTimeoutMs * 2 ** attempt, Math.max(baseTimeoutMs, MAX_REQUEST_TIMEOUT_MS));
  }

  /**
   * Runs one pull with its bookkeeping: phase, application of the result, and what happens on
   * failure (the fallback of spec §3.5, then retries with backoff). Resolves with whether content
   * was applied (for load's initialContent rule); never rejects.
   */
  async function runPull(
    trigger: PullTrigger,
    attempt: number,
    peerId: Id | null = null,
    peerHashes?: ContentHashes,
    transactionId: string = createTransactionId(),
  ): Promise<boolean> {
    activePulls++;
    syncStatus.update({phase: 'syncing'});
    let result: PullResult | undefined;
    let failure: Error | undefined;
    try {
      result = await pull(peerId, peerHashes, transactionId, timeoutForAttempt(attempt));
    } catch (error) {
      failure = toError(error);
    }
    activePulls--;
    if (destroyed) {
      return false;
    }
    if (result !== undefined) {
      return finishPull(trigger, result);
    }
    handlePullFailure(trigger, attempt, failure!);
    return false;
  }

  function finishPull(trigger: PullTrigger, result: PullResult): boolean {
    cancelRetry();
    retryAttempt = 0;
    if (trigger !== 'load' && !(syncing || autoLoading)) {
      // Stopped while this pull ran: what it fetched is no longer wanted.
      settlePhase();
      return false;
    }
    let applied = false;
    if (isEmptyChanges(result.changes)) {
      loads++;
    } else {
      applied = applyRemote(result.changes, 'changes pulled', result.peerId);
      if (!applied) {
        settlePhase();
        return false;
      }
    }
    const [tablesHash, valuesHash] = store.getMergeableContentHashes();
    const equal = tablesHash === result.peerHashes[0] && valuesHash === result.peerHashes[1];
    if (activePulls > 0) {
      return applied;
    }
    if (equal) {
      markSynced();
    } else if (trigger === 'announcement' || trigger === 'fallback' || trigger === 'retry') {
      // This peer holds content the other lacks: announce it so the other pulls it. (After a
      // load or a reconnect the caller announces anyway.) Phase stays 'syncing' until it has.
      // Announced once per pair of differing hashes: should two stores' hashes never agree (a
      // peer whose hashes differ for equal content), this stops instead of bouncing forever.
      const pair = `${result.peerHashes[0]},${result.peerHashes[1]}>${tablesHash},${valuesHash}`;
      if ((syncing || autoSaving) && !aheadAnnouncements.includes(pair)) {
        aheadAnnouncements.push(pair);
        if (aheadAnnouncements.length > RECENT_ANNOUNCEMENTS) {
          aheadAnnouncements.shift();
        }
        announce();
      }
    }
    return applied;
  }

  function handlePullFailure(trigger: PullTrigger, attempt: number, failure: Error): void {
    // No answer to a broadcast GetContentHashes means no peer is there: not an error in the status
    // (still reported to onIgnoredError, as TinyBase does), and nothing to retry.
    const nobodyThere = failure instanceof NoPeerAnswered;
    if (nobodyThere) {
      failure = failure.cause as Error;
    }
    const offline = !isOnline();
    reportError(failure, !nobodyThere && !offline);
    if (offline || !(syncing || autoLoading)) {
      settlePhase();
      return;
    }
    if (trigger === 'announcement') {
      // spec §3.5 fallback: a failed pull from an announcing peer becomes a pull from any peer.
      void runPull('fallback', 0);
    } else if (!nobodyThere) {
      scheduleRetry(Math.max(attempt, retryAttempt) + 1);
    } else {
      settlePhase();
    }
  }

  function scheduleRetry(attempt: number): void {
    if (retryTimer !== undefined || destroyed) {
      return;
    }
    retryAttempt = attempt;
    const delay = Math.min(
      Math.max(MIN_RETRY_DELAY_MS, baseTimeoutMs) * 2 ** (attempt - 1),
      MAX_RETRY_DELAY_MS,
    );
    syncStatus.update({phase: 'syncing'});
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!destroyed && (syncing || autoLoading) && isOnline()) {
        void runPull('retry', attempt);
      } else {
        settlePhase();
      }
    }, delay);
  }

  function cancelRetry(): void {
    if (retryTimer !== undefined) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
  }

  // --- receiving (spec §3.4) -------------------------------------------------------------------

  /** Whether answering this diff request completes a peer's pull of what this peer announced. */
  function completesPullOfAnnouncement(
    requestId: Id | null,
    message: Message,
    response: unknown,
  ): boolean {
    if (requestId === null || !recentAnnouncements.includes(getTransactionIdOf(requestId))) {
      return false;
    }
    switch (message) {
      case Message.GetTableDiff:
      case Message.GetRowDiff:
        return isEmptyObject((response as [unknown, object])[1]);
      default:
        return true;
    }
  }

  function answer(fromClientId: Id, requestId: Id | null, message: Message, body: unknown): void {
    let response: unknown;
    switch (message) {
      case Message.GetContentHashes:
        if (!(syncing || autoSaving)) {
          return;
        }
        response = store.getMergeableContentHashes();
        break;
      case Message.GetTableDiff:
        response = store.getMergeableTableDiff(body as {[tableId: Id]: number});
        break;
      case Message.GetRowDiff:
        response = store.getMergeableRowDiff(body as {[tableId: Id]: {[rowId: Id]: number}});
        break;
      case Message.GetCellDiff:
        response = store.getMergeableCellDiff(
          body as {[tableId: Id]: {[rowId: Id]: {[cellId: Id]: number}}},
        );
        break;
      case Message.GetValueDiff:
        response = store.getMergeableValueDiff(body as {[valueId: Id]: number});
        break;
      default:
        return;
    }
    try {
      sendMessage(fromClientId, requestId, Message.Response, response);
    } catch (error) {
      reportError(toError(error));
      return;
    }
    if (
      message !== Message.GetContentHashes &&
      completesPullOfAnnouncement(requestId, message, response) &&
      activePulls === 0 &&
      retryTimer === undefined &&
      syncing
    ) {
      markSynced();
    }
  }

  const receive: Receive = (fromClientId, requestId, message, body) => {
    if (destroyed) {
      return;
    }
    try {
      handleMessage(fromClientId, requestId, message, body);
    } catch (error) {
      reportError(toError(error));
    }
  };

  function handleMessage(
    fromClientId: Id,
    requestId: Id | null,
    message: Message,
    body: unknown,
  ): void {
    const problem = validateMessage(requestId, message, body);
    if (problem !== undefined) {
      reportError(
        new SyncError(
          ErrorCode.InvalidMessage,
          `invalid ${problem} (from peer ${JSON.stringify(fromClientId)})`,
        ),
      );
      return;
    }
    receives++;
    onReceive?.(fromClientId, requestId, message, body);
    const listening = syncing || autoLoading;
    switch (message) {
      case Message.Response:
        requests.handleResponse(fromClientId, requestId, body);
        return;
      case Message.ContentHashes:
        if (listening) {
          void runPull(
            'announcement',
            0,
            fromClientId,
            body as ContentHashes,
            requestId ?? undefined,
          );
        }
        return;
      case Message.ContentDiff:
        if (listening) {
          const changes = body as MergeableChanges;
          checkPeerClock(changes, fromClientId);
          applyRemote(changes, 'ContentDiff', fromClientId);
        }
        return;
      default:
        answer(fromClientId, requestId, message, body);
    }
  }

  const failTransport = (error: Error) => {
    const failure =
      error instanceof Error ? error : new SyncError(ErrorCode.TransportFailure, String(error));
    requests.rejectAll(failure);
    reportError(failure);
  };

  registerReceive(receive, failTransport);

  // --- the Persister surface (spec §6) ---------------------------------------------------------

  async function load(initialContent?: Content | (() => Content)): Promise<Synchronizer> {
    if (status === Status.Saving || destroyed) {
      return synchronizer;
    }
    beginLoading();
    let applied = false;
    try {
      if (isOnline()) {
        applied = await runPull('load', 0);
      }
      if (!applied && initialContent !== undefined && !destroyed) {
        applyDefaultContent(initialContent);
      }
    } finally {
      endLoading();
    }
    return synchronizer;
  }

  async function save(): Promise<Synchronizer> {
    if (status === Status.Loading || destroyed) {
      return synchronizer;
    }
    setStatus(Status.Saving);
    if (isOnline()) {
      saves++;
      announce();
    }
    setStatus(Status.Idle);
    return synchronizer;
  }

  async function startAutoLoad(initialContent?: Content | (() => Content)): Promise<Synchronizer> {
    autoLoading = true;
    return load(initialContent);
  }

  function stopAutoLoad(): Synchronizer {
    autoLoading = false;
    if (!isActive()) {
      stopBackgroundWork();
    }
    return synchronizer;
  }

  async function startAutoSave(): Promise<Synchronizer> {
    await save();
    if (!destroyed) {
      autoSaving = true;
    }
    return synchronizer;
  }

  function stopAutoSave(): Synchronizer {
    flushOutgoing();
    autoSaving = false;
    if (!isActive()) {
      stopBackgroundWork();
    }
    return synchronizer;
  }

  async function startAutoPersisting(
    initialContent?: Content | (() => Content),
    startSaveFirst = false,
  ): Promise<Synchronizer> {
    if (startSaveFirst) {
      await startAutoSave();
      await startAutoLoad(initialContent);
    } else {
      await startAutoLoad(initialContent);
      await startAutoSave();
    }
    return synchronizer;
  }

  function stopAutoPersisting(stopSaveFirst = false): Synchronizer {
    if (stopSaveFirst) {
      stopAutoSave();
      stopAutoLoad();
    } else {
      stopAutoLoad();
      stopAutoSave();
    }
    return synchronizer;
  }

  function stopBackgroundWork(): void {
    cancelRetry();
    retryAttempt = 0;
    syncStatus.update({phase: 'idle'});
  }

  async function startSync(initialContent?: Content | (() => Content)): Promise<Synchronizer> {
    syncing = true;
    return startAutoPersisting(initialContent);
  }

  function stopSync(): Synchronizer {
    syncing = false;
    stopAutoPersisting();
    stopBackgroundWork();
    return synchronizer;
  }

  function destroy(): Synchronizer {
    if (destroyed) {
      return synchronizer;
    }
    flushOutgoing();
    destroyed = true;
    requests.rejectAll(
      new SyncError(`${ErrorCode.ResponseTimeout}:destroyed`, 'the synchronizer was destroyed'),
    );
    syncing = false;
    autoLoading = false;
    autoSaving = false;
    stopBackgroundWork();
    store.delListener(transactionListenerId);
    try {
      destroyTransport();
    } finally {
      syncStatus.update({connection: 'offline'});
    }
    return synchronizer;
  }

  /**
   * The transport reports its link. Going back to 'online' while active resyncs both ways: a pull
   * (GetContentHashes) brings in what peers changed meanwhile, and an announcement (ContentHashes)
   * makes them pull what changed here. Leaving 'online' fails pending requests at once.
   */
  function setConnection(connection: Connection, error?: Error): void {
    if (destroyed) {
      return;
    }
    const previous = syncStatus.current.connection;
    // Apart from its peers, a synchronizer is no longer known to be synced with them.
    const phase = connection === 'online' ? syncStatus.current.phase : 'idle';
    syncStatus.update(error ? {connection, phase, error} : {connection, phase});
    if (error && onIgnoredError) {
      callSafely(() => onIgnoredError(error));
    }
    if (connection === previous) {
      return;
    }
    if (connection !== 'online') {
      cancelRetry();
      requests.rejectAll(new SyncError(ErrorCode.TransportFailure, `connection is ${connection}`));
      return;
    }
    if (syncing || autoLoading) {
      void runPull('reconnect', 0);
    }
    if (syncing || autoSaving) {
      announce();
    }
  }

  function addListenerTo<Listener>(listeners: Map<Id, Listener>, listener: Listener): Id {
    const id = String(nextListenerId++);
    listeners.set(id, listener);
    return id;
  }

  const synchronizer: CustomSynchronizer = {
    getStore: () => store,
    load,
    save,
    startAutoLoad,
    stopAutoLoad,
    isAutoLoading: () => autoLoading,
    startAutoSave,
    stopAutoSave,
    isAutoSaving: () => autoSaving,
    startAutoPersisting,
    stopAutoPersisting,
    getStatus: () => status,
    addStatusListener: (listener) => addListenerTo(statusListeners, listener),
    delListener: (listenerId) => {
      statusListeners.delete(listenerId);
      syncStatusListeners.delete(listenerId);
      return synchronizer;
    },
    getStats: () => ({loads, saves}),
    startSync,
    stopSync,
    destroy,
    getSynchronizerStats: () => ({sends, receives}),
    getSyncStatus: (): SyncStatus => syncStatus.current,
    addSyncStatusListener: (listener) => addListenerTo(syncStatusListeners, listener),
    setConnection,
  };
  return synchronizer;
}
