package com.example.ledger.accounts;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads and updates accounts through plain JDBC. */
public final class AccountRepository {

  /** An account row. */
  public record Account(long id, String iban, BigDecimal balance) {}

  private final DataSource dataSource;

  public AccountRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Connection, statement and result set in one try-with-resources. */
  public Optional<Account> findByIban(String iban) throws SQLException {
    String sql = "SELECT id, iban, balance FROM account WHERE iban = ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, iban);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(map(rows)) : Optional.empty();
      }
    }
  }

  /** Borrows a pooled connection and never gives it back: the pool runs dry under load. */
  public List<Account> findOverdrawn() throws SQLException {
    Connection connection = dataSource.getConnection(); // expect: UnclosedResource
    List<Account> overdrawn = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT id, iban, balance FROM account WHERE balance < 0");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        overdrawn.add(map(rows));
      }
    }
    return overdrawn;
  }

  /** Closes the connection at the end, but not when the UPDATE throws. */
  public void applyInterest(BigDecimal rate) throws SQLException {
    Connection connection = dataSource.getConnection(); // expect: UnclosedResource
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE account SET balance = balance * (1 + ?)")) {
      statement.setBigDecimal(1, rate);
      statement.executeUpdate();
    }
    connection.close();
  }

  /** Closes in finally: no leak on any path. */
  public int countAccounts() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM account");
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } finally {
      connection.close();
    }
  }

  private static Account map(ResultSet rows) throws SQLException {
    return new Account(rows.getLong("id"), rows.getString("iban"), rows.getBigDecimal("balance"));
  }
}
