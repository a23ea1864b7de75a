package dev.leakprone.engine;

import org.jspecify.annotations.Nullable;

/**
 * What one method invocation or object creation does to obligations, as a specification states
 * it. The engine applies it to every value flowing into the call.
 *
 * @param acquire whether the call's result carries a new obligation
 * @param receiver what the call does to obligations carried by its receiver
 * @param arguments what the call does to obligations carried by its arguments
 * @param label how the acquired object is named in messages (e.g. {@code FileInputStream}), or
 *     null to use the static type of the call
 * @param detail a fact specific to the specification that reaches the leak report (e.g. that a
 *     timer runs a non-daemon thread), or null
 */
public record CallEffect(
    Acquire acquire, Use receiver, Use arguments, @Nullable String label, @Nullable String detail) {

  /** How the call's result relates to obligations. */
  public enum Acquire {
    /** No new obligation. */
    NONE,
    /** The result carries a fresh obligation. */
    FRESH,
    /**
     * The result carries a fresh obligation that is released together with the receiver's (a
     * ResultSet from a Statement, a periodic task of an executor that is shut down).
     */
    CHILD_OF_RECEIVER,
    /**
     * A fresh obligation carried both by the result and by the receiver, for {@code start()}
     * methods that return {@code this}. The receiver is the local variable the call is made on,
     * also through calls whose effect is {@link Use#ALIAS} on their receiver (fluent setters:
     * {@code span.name("x").start()}).
     */
    FRESH_ON_RECEIVER,
    /**
     * A fresh obligation that is dormant: the object holds nothing until a call whose effect on
     * it is {@link Use#START} (an unconnected {@code new Socket()} until {@code connect}, an
     * unbound {@code new ServerSocket()} until {@code bind}). A dormant obligation that reaches an
     * exit, normal or exceptional, leaks nothing; once started it is like {@link #FRESH}.
     */
    DORMANT
  }

  /** What the call does to an obligation carried by an operand. */
  public enum Use {
    /** Nothing: the operand is only read. */
    NONE,
    /** Releases the obligation (close, cancel, end, shutdown…). */
    DISCHARGE,
    /** Takes ownership: the obligation is now someone else's to release. */
    TRANSFER,
    /** The result is the same object, a view or a wrapper of it: releasing either releases both. */
    ALIAS,
    /**
     * Starts a {@link Acquire#DORMANT} obligation ({@code socket.connect(address)}): from here on
     * the object holds something and must be released. If the call itself throws, the obligation
     * stays dormant. Otherwise like {@link #NONE}.
     */
    START
  }

  public static final CallEffect NOTHING = new CallEffect(Acquire.NONE, Use.NONE, Use.NONE, null, null);

  public static CallEffect acquires(Acquire acquire, @Nullable String label, @Nullable String detail) {
    return new CallEffect(acquire, Use.NONE, Use.NONE, label, detail);
  }

  public static CallEffect onReceiver(Use use) {
    return new CallEffect(Acquire.NONE, use, Use.NONE, null, null);
  }

  public static CallEffect onArguments(Use use) {
    return new CallEffect(Acquire.NONE, Use.NONE, use, null, null);
  }
}
