package dev.xenlevelling.xc.policy;

/** The Linux errno values Xen's hypercalls and libxc return, with their numbers and strerror text. */
public enum Errno {
  /** Operation not permitted. */
  EPERM(1, "Operation not permitted"),
  /** No such file or directory. */
  ENOENT(2, "No such file or directory"),
  /** No such process (no such domain). */
  ESRCH(3, "No such process"),
  /** Input/output error (the simulated host's state could not be read or written). */
  EIO(5, "Input/output error"),
  /** Argument list too long. */
  E2BIG(7, "Argument list too long"),
  /** Cannot allocate memory (no free domain id). */
  ENOMEM(12, "Cannot allocate memory"),
  /** Bad address. */
  EFAULT(14, "Bad address"),
  /** Device or resource busy. */
  EBUSY(16, "Device or resource busy"),
  /** File exists. */
  EEXIST(17, "File exists"),
  /** Invalid argument. */
  EINVAL(22, "Invalid argument"),
  /** No space left on device. */
  ENOSPC(28, "No space left on device"),
  /** Numerical result out of range. */
  ERANGE(34, "Numerical result out of range"),
  /** Value too large for defined data type. */
  EOVERFLOW(75, "Value too large for defined data type"),
  /** Operation not supported. */
  EOPNOTSUPP(95, "Operation not supported"),
  /** No buffer space available. */
  ENOBUFS(105, "No buffer space available");

  private final int value;
  private final String message;

  Errno(int value, String message) {
    this.value = value;
    this.message = message;
  }

  /** Returns the errno number (Xen returns its negation). */
  public int value() {
    return value;
  }

  /** Returns glibc's strerror text for the errno. */
  public String message() {
    return message;
  }
}
