package io.mister.processor;

import io.mister.processor.inference.InputExpectations;
import java.time.Duration;
import java.util.Objects;

/**
 * How the emotion processor behaves. Every value is validated here so that a bad configuration fails at
 * start-up with a message naming the setting.
 *
 * @param windowTurns W: turns of context scored together (provisional: the last W; final: windows of W)
 * @param lookAhead L: a turn's label may be revised while fewer than L+1 later turns arrived; must be < W
 * @param inactivityTimeout a conversation with no new turn for this long (wall clock) is finalised
 * @param inactivityCheckInterval how often the wall-clock punctuator looks for idle conversations
 * @param maxTurns turns kept per conversation; further turns go to the DLQ as CONVERSATION_TOO_LONG
 * @param batchSize most windows per head call; a full batch is scored at once
 * @param batchWait longest a turn waits in a partly filled batch (wall-clock punctuator)
 * @param endGrace how long a finalised conversation is remembered so that stragglers are dead-lettered
 *     as CONVERSATION_ENDED (after it, a turn with that id starts a new conversation)
 * @param endWait longest (wall clock) an ENDED that came before the last turns it announces (its turn count)
 *     waits for them; checked every {@code inactivityCheckInterval}
 * @param windowCacheConversations conversations per task whose newest turns (W + L + 8) are also kept decoded
 *     in memory, so that their windows need no store scan; 0 turns the cache off (memory: about
 *     (W + L + 8) x (text + speech dims) x 4 bytes per conversation, ~85 KB at W = 32 with 384 + 88 dims)
 * @param expected encoders, dimensions and labels expected; unset fields come from the first model
 */
public record ProcessorSettings(int windowTurns, int lookAhead, Duration inactivityTimeout, Duration inactivityCheckInterval,
                                int maxTurns, int batchSize, Duration batchWait, Duration endGrace,
                                Duration endWait, int windowCacheConversations, InputExpectations expected) {

    public static final int DEFAULT_WINDOW = 32;
    public static final int DEFAULT_LOOK_AHEAD = 4;
    public static final int DEFAULT_WINDOW_CACHE_CONVERSATIONS = 256;
    /** Turns kept per cached conversation beyond W + L: room for several of its arrivals in one batch. */
    private static final int CACHE_MARGIN_TURNS = 8;

    public ProcessorSettings {
        Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        Objects.requireNonNull(inactivityCheckInterval, "inactivityCheckInterval");
        Objects.requireNonNull(batchWait, "batchWait");
        Objects.requireNonNull(endGrace, "endGrace");
        Objects.requireNonNull(endWait, "endWait");
        expected = expected == null ? InputExpectations.fromModel() : expected;
        if (windowTurns < 1) {
            throw new IllegalArgumentException("window (W) must be >= 1 turn, was " + windowTurns);
        }
        if (lookAhead < 0 || lookAhead >= windowTurns) {
            throw new IllegalArgumentException("look-ahead (L) must be in [0, W-1] = [0, " + (windowTurns - 1) + "], was " + lookAhead
                    + ": a revised turn and the turns after it must fit in one window");
        }
        requirePositive("inactivityTimeout", inactivityTimeout);
        requirePositive("inactivityCheckInterval", inactivityCheckInterval);
        requirePositive("batchWait", batchWait);
        if (endGrace.isNegative()) {
            throw new IllegalArgumentException("endGrace must be >= 0, was " + endGrace);
        }
        requirePositive("endWait", endWait);
        if (maxTurns < 1) {
            throw new IllegalArgumentException("maxTurns must be >= 1, was " + maxTurns);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        if (windowCacheConversations < 0) {
            throw new IllegalArgumentException("windowCacheConversations must be >= 0, was " + windowCacheConversations);
        }
    }

    /** Turns kept decoded per cached conversation: every window of an arrival, revision included, fits. */
    public int windowCacheTurns() {
        return windowTurns + lookAhead + CACHE_MARGIN_TURNS;
    }

    private static void requirePositive(String name, Duration value) {
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
        }
    }

    /**
     * W = 32, L = 4, 5 min inactivity checked every 10 s, 5000 turns, batches of 32 within 20 ms, 10 min end
     * grace, an ENDED waits at most 30 s for the turns it announces, 256 conversations' windows cached per task.
     */
    public static ProcessorSettings defaults() {
        return new ProcessorSettings(DEFAULT_WINDOW, DEFAULT_LOOK_AHEAD, Duration.ofMinutes(5), Duration.ofSeconds(10),
                5000, 32, Duration.ofMillis(20), Duration.ofMinutes(10), Duration.ofSeconds(30),
                DEFAULT_WINDOW_CACHE_CONVERSATIONS, InputExpectations.fromModel());
    }

    public ProcessorSettings withWindow(int w, int l) {
        return new ProcessorSettings(w, l, inactivityTimeout, inactivityCheckInterval, maxTurns, batchSize, batchWait, endGrace, endWait, windowCacheConversations, expected);
    }

    public ProcessorSettings withInactivity(Duration timeout, Duration checkInterval) {
        return new ProcessorSettings(windowTurns, lookAhead, timeout, checkInterval, maxTurns, batchSize, batchWait, endGrace, endWait, windowCacheConversations, expected);
    }

    public ProcessorSettings withMaxTurns(int max) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, max, batchSize, batchWait, endGrace, endWait, windowCacheConversations, expected);
    }

    public ProcessorSettings withBatching(int size, Duration wait) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, maxTurns, size, wait, endGrace, endWait, windowCacheConversations, expected);
    }

    public ProcessorSettings withEndGrace(Duration grace) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, maxTurns, batchSize, batchWait, grace, endWait, windowCacheConversations, expected);
    }

    public ProcessorSettings withExpected(InputExpectations expectations) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, maxTurns, batchSize, batchWait, endGrace, endWait, windowCacheConversations, expectations);
    }

    public ProcessorSettings withWindowCache(int conversations) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, maxTurns, batchSize, batchWait, endGrace, endWait, conversations, expected);
    }

    public ProcessorSettings withEndWait(Duration wait) {
        return new ProcessorSettings(windowTurns, lookAhead, inactivityTimeout, inactivityCheckInterval, maxTurns, batchSize, batchWait, endGrace, wait, windowCacheConversations, expected);
    }
}
