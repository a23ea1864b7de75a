package dev.leakprone.engine;

import org.jspecify.annotations.Nullable;

/**
 * What one method invocation or object creation does to obligations, as a specification states it.
 * The engine applies it to every value flowing into the call.
 *
 * @param acquire whether the call's result carries a new obligation
 * @param receiver what the call does to obligations carried by its receiver
 * @param arguments what the call does to obligations carried by its arguments
 * @param label how the acquired object is named in messages (e.g. {@code FileInputStream}), or null
 *     to use the static type of the call
 * @param detail a fact specific to the specification that reaches the leak report (e.g. that a
 *     timer runs a non-daemon thread), or null
 * @param argumentMask which arguments {@code arguments} applies to: bit {@code i} for argument
 *     {@code i} (arguments from the 64th on share bit 63); the others are only read. {@link #ALL}
 *     for every argument. Summaries of same-file callees are per parameter (issue #10 item 2).
 * @param key for a <em>keyed obligation</em>, the thing the obligation is attached to instead of a
 *     value, or null (see below)
 *     <p><b>Keyed obligations.</b> Some obligations are carried by no object the method holds but
 *     by a name: a {@code ThreadLocal} field that {@code set(v)} binds and {@code remove()}
 *     unbinds, an MDC key, a framework holder class. An effect with a non-null {@code key} and an
 *     {@link #acquire} other than {@link Acquire#NONE} opens an obligation attached to that key
 *     (the call's result carries nothing); an effect with a key and {@link Acquire#NONE} discharges
 *     every open obligation whose key {@link ObligationSpec#releasesKey releases} says it matches,
 *     on the paths that reach the call. Keys are compared with {@code equals} by default; they live
 *     only inside one body (no transfer by key), and acquiring a key again while it is held is not
 *     a loop leak (a binding replaces the previous one). The {@link #receiver} and {@link
 *     #arguments} uses apply as usual to values flowing into the call.
 */
public record CallEffect(
    Acquire acquire,
    Use receiver,
    Use arguments,
    @Nullable String label,
    @Nullable String detail,
    long argumentMask,
    @Nullable Object key) {

  /** {@link #argumentMask} of an effect on every argument. */
  public static final long ALL = -1L;

  /** An effect on values only (no key), on every argument. */
  public CallEffect(
      Acquire acquire,
      Use receiver,
      Use arguments,
      @Nullable String label,
      @Nullable String detail) {
    this(acquire, receiver, arguments, label, detail, ALL, null);
  }

  /** An effect on values only (no key), on the arguments in {@code argumentMask}. */
  public CallEffect(
      Acquire acquire,
      Use receiver,
      Use arguments,
      @Nullable String label,
      @Nullable String detail,
      long argumentMask) {
    this(acquire, receiver, arguments, label, detail, argumentMask, null);
  }

  /** A keyed effect (see above), on every argument. */
  public CallEffect(
      Acquire acquire,
      Use receiver,
      Use arguments,
      @Nullable String label,
      @Nullable String detail,
      @Nullable Object key) {
    this(acquire, receiver, arguments, label, detail, ALL, key);
  }

  /** Whether {@link #arguments} applies to the argument at {@code index}. */
  public boolean appliesTo(int index) {
    return (argumentMask & (1L << Math.min(index, 63))) != 0;
  }

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
     * A fresh obligation that is dormant: the object holds nothing until a call whose effect on it
     * is {@link Use#START} (an unconnected {@code new Socket()} until {@code connect}, an unbound
     * {@code new ServerSocket()} until {@code bind}). A dormant obligation that reaches an exit,
     * normal or exceptional, leaks nothing; once started it is like {@link #FRESH}.
     */
    DORMANT,
    /**
     * A fresh obligation of an object that fills its resource lazily (a buffer that opens a file
     * only when writes overflow memory): dormant, like {@link #DORMANT}, until any method is called
     * on it or it is passed to a call, whatever that call is.
     */
    LAZY
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
    START,
    /**
     * Releases the obligation only if the call throws: the callee closes the object when it fails
     * ({@code SocketChannel.connect} closes the channel when the connection cannot be made).
     * Otherwise like {@link #NONE}.
     */
    RELEASE_ON_FAILURE
  }

  public static final CallEffect NOTHING =
      new CallEffect(Acquire.NONE, Use.NONE, Use.NONE, null, null);

  public static CallEffect acquires(
      Acquire acquire, @Nullable String label, @Nullable String detail) {
    return new CallEffect(acquire, Use.NONE, Use.NONE, label, detail);
  }

  public static CallEffect onReceiver(Use use) {
    return new CallEffect(Acquire.NONE, use, Use.NONE, null, null);
  }

  public static CallEffect onArguments(Use use) {
    return new CallEffect(Acquire.NONE, Use.NONE, use, null, null);
  }

  /** {@code use} on the arguments whose bits are set in {@code mask}, nothing on the others. */
  public static CallEffect onArguments(Use use, long mask) {
    return new CallEffect(Acquire.NONE, Use.NONE, use, null, null, mask);
  }

  /** Opens a keyed obligation on {@code key}; see the class documentation. */
  public static CallEffect bindsKey(Object key, @Nullable String label, @Nullable String detail) {
    return new CallEffect(Acquire.FRESH, Use.NONE, Use.NONE, label, detail, key);
  }

  /** Discharges the open keyed obligations that {@code key} releases. */
  public static CallEffect releasesKey(Object key) {
    return new CallEffect(Acquire.NONE, Use.NONE, Use.NONE, null, null, key);
  }
}
