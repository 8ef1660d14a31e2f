/**
 * Stand-in for {@code bin/mister encode} while the app's CLI does not register {@code encode}:
 * runs the packaged app's EncodeCommand directly (java source launcher, no build step).
 * training/finetune/mister-encode.sh wraps it; the pipeline uses bin/mister when it can.
 */
public final class EncodeStandIn {
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new io.mister.app.cli.EncodeCommand()).execute(args));
  }
}
