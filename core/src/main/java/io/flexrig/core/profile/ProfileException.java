package io.flexrig.core.profile;

import java.util.List;
import java.util.stream.Collectors;

/** A profile did not load; carries every error found, not just the first. */
public final class ProfileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ProfileError> errors;

  public ProfileException(List<ProfileError> errors) {
    super(errors.stream().map(ProfileError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ProfileError> errors() {
    return errors;
  }
}
