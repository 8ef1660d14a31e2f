package io.mister.processor.context;

/**
 * A turn that was stored but whose provisional event is not emitted yet (it waits in the scoring
 * batch). Kept in the conversation's metadata so that a restart rebuilds the batch from the changelog.
 *
 * @param conversationId the conversation
 * @param seq the arrived turn
 * @param arrival its arrival ordinal: the window is the turns that had arrived by then
 * @param windowEnd the last seq of the window to score: {@code seq} for an in-order turn, the newest
 *     turn within the look-ahead for a late one (so that the turns after it are re-scored)
 */
public record PendingArrival(String conversationId, long seq, int arrival, long windowEnd) {}
