package com.example.ledger.accounts;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Books many transfers in one database transaction. The connection and statement are owned by
 * the batch (fields) and released by {@link #close()}.
 */
public final class TransferBatch implements AutoCloseable {

  private final Connection connection;
  private final PreparedStatement insert;
  private int pending;

  private TransferBatch(Connection connection, PreparedStatement insert) {
    this.connection = connection;
    this.insert = insert;
  }

  /** Opens a batch; on failure the half-built connection is closed before rethrowing. */
  public static TransferBatch open(DataSource dataSource) throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(false);
      PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO transfer (from_account, to_account, amount) VALUES (?, ?, ?)");
      return new TransferBatch(connection, insert);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** A read-only connection for callers that manage it themselves: returning it hands it over. */
  public static Connection openReadOnly(DataSource dataSource) throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      connection.setReadOnly(true);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  public void add(long from, long to, BigDecimal amount) throws SQLException {
    insert.setLong(1, from);
    insert.setLong(2, to);
    insert.setBigDecimal(3, amount);
    insert.addBatch();
    pending++;
  }

  public int commit() throws SQLException {
    int booked = insert.executeBatch().length;
    connection.commit();
    pending = 0;
    return booked;
  }

  @Override
  public void close() throws SQLException {
    try {
      if (pending > 0) {
        connection.rollback();
      }
      insert.close();
    } finally {
      connection.close();
    }
  }
}
