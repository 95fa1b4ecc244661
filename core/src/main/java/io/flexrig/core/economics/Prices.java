package io.flexrig.core.economics;

/** Argument checks shared by the price models. */
final class Prices {
  private Prices() {}

  /** Energy prices may be negative (wind-rich nodes at night), never NaN or infinite. */
  static double requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, got " + value);
    }
    return value;
  }

  static double requirePositive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
    return value;
  }

  static double requireNonNegative(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value);
    }
    return value;
  }
}
