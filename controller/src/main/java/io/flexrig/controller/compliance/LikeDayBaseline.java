package io.flexrig.controller.compliance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The "middle 8 of the last 10 like days" baseline: of the 10 most recent like days (same day type,
 * no curtailment event), rank the days by their load over the event window, drop the highest and
 * the lowest, and average the remaining 8 interval by interval. With fewer like days the same rule
 * runs on what there is (highest and lowest dropped from 3 days on).
 */
public final class LikeDayBaseline {

  /** Days looked at: at most this many like days enter the baseline. */
  public static final int DAYS = 10;

  private LikeDayBaseline() {}

  /**
   * One candidate day's load on the event's intervals.
   *
   * @param intervalKw the site load in each interval of the event window, NaN where no data
   */
  public record DayLoad(LocalDate day, double[] intervalKw) {
    public DayLoad {
      Objects.requireNonNull(day, "day");
      intervalKw = intervalKw.clone();
    }

    /** The day's average load over the intervals that have data; NaN when none has. */
    public double averageKw() {
      double sum = 0;
      int n = 0;
      for (double v : intervalKw) {
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      return n == 0 ? Double.NaN : sum / n;
    }
  }

  /**
   * The baseline.
   *
   * @param intervalKw the baseline per interval; NaN where no kept day had data
   * @param daysFound like days with data (at most {@link #DAYS})
   * @param daysKept the days averaged, most recent first
   */
  public record Result(double[] intervalKw, int daysFound, List<LocalDate> daysKept) {
    public Result {
      intervalKw = intervalKw.clone();
      daysKept = List.copyOf(daysKept);
    }

    /** The baseline averaged over the intervals that have one; NaN when none has. */
    public double averageKw() {
      return new DayLoad(LocalDate.EPOCH, intervalKw).averageKw();
    }
  }

  /**
   * True when {@code candidate} is the same type of day as {@code eventDay}: weekday or weekend.
   */
  public static boolean likeDay(LocalDate eventDay, LocalDate candidate) {
    return weekend(eventDay) == weekend(candidate);
  }

  private static boolean weekend(LocalDate d) {
    return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  /**
   * Computes the baseline over {@code intervals} intervals.
   *
   * @param likeDays like days, most recent first; days without any data are skipped
   */
  public static Result compute(int intervals, List<DayLoad> likeDays) {
    List<DayLoad> found = new ArrayList<>();
    for (DayLoad d : likeDays) {
      if (d.intervalKw().length != intervals) {
        throw new IllegalArgumentException(
            d.day() + " has " + d.intervalKw().length + " intervals, expected " + intervals);
      }
      if (!Double.isNaN(d.averageKw())) {
        found.add(d);
      }
      if (found.size() == DAYS) {
        break;
      }
    }
    List<DayLoad> kept = new ArrayList<>(found);
    if (kept.size() >= 3) {
      // Ties keep the more recent day: the sort is stable and `found` is most recent first.
      kept.sort(Comparator.comparingDouble(DayLoad::averageKw));
      kept.removeLast();
      kept.removeFirst();
    }
    double[] baseline = new double[intervals];
    for (int i = 0; i < intervals; i++) {
      double sum = 0;
      int n = 0;
      for (DayLoad d : kept) {
        double v = d.intervalKw()[i];
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      baseline[i] = n == 0 ? Double.NaN : sum / n;
    }
    List<LocalDate> keptDays = found.stream().filter(kept::contains).map(DayLoad::day).toList();
    return new Result(baseline, found.size(), keptDays);
  }
}
