package io.flexrig.agent.control;

/**
 * What the rig's safety loop allows right now. The executor never applies more than it allows: its
 * effective power target is {@code min(command target, ceilingW())}, and while {@link
 * #cutRequired()} the workload is kept off whatever the commands say.
 */
public interface SafetyEnvelope {

  /** Highest power target the rig may run at now, in watts. */
  double ceilingW();

  /** True while the workload must be off: critical temperature, failed fans, minimum off time. */
  boolean cutRequired();

  /** Why the envelope is below the profile's limits, for clamp reports; empty when it is not. */
  String reason();

  /** True when the required cut must open the supply relay at once rather than sleep first. */
  default boolean cutBySupply() {
    return false;
  }

  /** The strictest of several envelopes: lowest ceiling, any cut. */
  static SafetyEnvelope strictest(SafetyEnvelope a, SafetyEnvelope b) {
    return new SafetyEnvelope() {
      @Override
      public double ceilingW() {
        return Math.min(a.ceilingW(), b.ceilingW());
      }

      @Override
      public boolean cutRequired() {
        return a.cutRequired() || b.cutRequired();
      }

      @Override
      public boolean cutBySupply() {
        return (a.cutRequired() && a.cutBySupply()) || (b.cutRequired() && b.cutBySupply());
      }

      @Override
      public String reason() {
        String ra = a.reason();
        String rb = b.reason();
        return ra.isEmpty() ? rb : rb.isEmpty() ? ra : ra + "; " + rb;
      }
    };
  }

  /** No envelope beyond the profile's static limits (tests of the command path alone). */
  SafetyEnvelope NONE =
      new SafetyEnvelope() {
        @Override
        public double ceilingW() {
          return Double.POSITIVE_INFINITY;
        }

        @Override
        public boolean cutRequired() {
          return false;
        }

        @Override
        public String reason() {
          return "";
        }
      };
}
