package io.flexrig.controller.price;

import io.flexrig.core.economics.RealTimePowerPrice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-time price file ({@link PriceCsv} format) the operator's ISO integration rewrites; re-read
 * whenever its modification time or size changes. A file that fails to parse on reload is logged
 * with its file:line: field error and the prices read before stay in force, so a half-written file
 * never leaves the site without a price. Write it to a temporary name and rename it into place.
 */
public final class PriceFileFeed implements PriceFeed {

  private static final Logger log = LoggerFactory.getLogger(PriceFileFeed.class);

  private final Path file;
  private volatile RealTimePowerPrice prices;
  private volatile String lastError;
  private Object stamp; // guarded by this

  private PriceFileFeed(Path file, RealTimePowerPrice prices, Object stamp) {
    this.file = file;
    this.prices = prices;
    this.stamp = stamp;
  }

  /**
   * Reads the file once.
   *
   * @throws PriceFileException when it is missing or malformed (the controller does not start)
   */
  public static PriceFileFeed open(Path file) {
    Objects.requireNonNull(file, "file");
    Object stamp = stamp(file);
    return new PriceFileFeed(file, read(file), stamp);
  }

  /** Re-reads the file if it changed since it was last read; true when new prices are in force. */
  public synchronized boolean refresh() {
    Object now;
    try {
      now = stamp(file);
    } catch (PriceFileException e) {
      complain(e.getMessage());
      return false;
    }
    if (now.equals(stamp)) {
      return false;
    }
    stamp = now;
    try {
      prices = read(file);
      lastError = null;
      log.info(
          "Price file {} re-read: {} intervals{}",
          file,
          prices.intervals().size(),
          prices.intervals().isEmpty()
              ? ""
              : " from "
                  + prices.intervals().getFirst().start()
                  + " to "
                  + prices.intervals().getLast().end());
      return true;
    } catch (PriceFileException e) {
      complain(e.getMessage() + " (the prices read before stay in force)");
      return false;
    }
  }

  private void complain(String message) {
    if (!message.equals(lastError)) {
      log.error("Price file not usable: {}", message);
    }
    lastError = message;
  }

  /** The last reload's error, if the file currently on disk is not the one in force. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public String name() {
    return "file:" + file;
  }

  /** The series in force. */
  public RealTimePowerPrice prices() {
    return prices;
  }

  @Override
  public Optional<Quote> quoteAt(Instant at) {
    refresh();
    RealTimePowerPrice p = prices;
    return p.covers(at) ? Optional.of(new Quote(p.usdPerKwhAt(at), name())) : Optional.empty();
  }

  private static Object stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
    } catch (IOException e) {
      throw new PriceFileException(file.toString(), 0, "file", "cannot read: " + e);
    }
  }

  private static RealTimePowerPrice read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PriceFileException(file.toString(), 0, "file", "cannot read: " + e);
    }
    return PriceCsv.prices(file.toString(), text);
  }
}
