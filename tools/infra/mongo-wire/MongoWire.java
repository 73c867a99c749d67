import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** Serves the MongoDB wire protocol on host:port, persisting to an H2 MVStore file. */
public class MongoWire {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: MongoWire <host> <port> <data-file>");
      System.exit(2);
    }
    MongoServer server = new MongoServer(new H2Backend(args[2]));
    server.bind(args[0], Integer.parseInt(args[1]));
    System.out.println("mongo-wire listening on " + args[0] + ":" + args[1] + ", data " + args[2]);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    Thread.currentThread().join();
  }
}
