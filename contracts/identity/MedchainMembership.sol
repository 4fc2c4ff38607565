// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IMedchainMembership} from "./IMedchainMembership.sol";

/// @title MedchainMembership
/// @author medchain
/// @notice The consortium's non-transferable membership voting token; see {IMedchainMembership}.
/// @dev OpenZeppelin ERC20Votes with the timestamp clock (ERC-6372 `mode=timestamp`), so that voting periods are
///      wall-clock seconds on any chain, including an embedded one that mines a block per transaction.
contract MedchainMembership is IMedchainMembership, ERC20, ERC20Votes {
    address private immutable _governance;
    address private _genesisAccount;

    /// @notice Deploys the token with no members.
    /// @dev Reverts with {MembershipInvalidMembers} if `governance_` is zero.
    /// @param governance_ The consortium's timelock, which adds and removes members after genesis.
    /// @param genesisAccount_ The account that mints the founding members once ({genesis}).
    constructor(address governance_, address genesisAccount_)
        ERC20("Medchain Consortium Membership", "MCM")
        EIP712("MedchainMembership", "1")
    {
        if (governance_ == address(0)) revert MembershipInvalidMembers();
        _governance = governance_;
        _genesisAccount = genesisAccount_;
    }

    /// @inheritdoc IMedchainMembership
    function genesis(address[] calldata members) external {
        if (msg.sender != _genesisAccount || _genesisAccount == address(0)) revert MembershipGenesisClosed(msg.sender);
        if (members.length == 0) revert MembershipInvalidMembers();
        _genesisAccount = address(0);
        for (uint256 i = 0; i < members.length; ++i) {
            _add(members[i]);
        }
        emit GenesisCompleted(members.length);
    }

    /// @inheritdoc IMedchainMembership
    function addMember(address account) external {
        _onlyGovernance();
        _add(account);
    }

    /// @inheritdoc IMedchainMembership
    function removeMember(address account) external {
        _onlyGovernance();
        if (balanceOf(account) == 0) revert MembershipNotMember(account);
        _burn(account, 1);
        emit MemberRemoved(account);
    }

    /// @inheritdoc IMedchainMembership
    function isMember(address account) external view returns (bool) {
        return balanceOf(account) != 0;
    }

    /// @inheritdoc IMedchainMembership
    function memberCount() external view returns (uint256) {
        return totalSupply();
    }

    /// @inheritdoc IMedchainMembership
    function governance() external view returns (address) {
        return _governance;
    }

    /// @inheritdoc IMedchainMembership
    function genesisAccount() external view returns (address) {
        return _genesisAccount;
    }

    /// @notice One membership unit is one vote: no decimals.
    /// @return 0.
    function decimals() public pure override returns (uint8) {
        return 0;
    }

    /// @notice ERC-6372 clock: the block timestamp.
    /// @return The current timepoint, in seconds.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock mode.
    /// @return "mode=timestamp".
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Every account is its own delegate: votes follow membership units and cannot be delegated.
    /// @param account The account.
    /// @return `account` itself.
    function delegates(address account) public pure override returns (address) {
        return account;
    }

    /// @notice Disabled: reverts with {MembershipDelegationDisabled}.
    function delegate(address) public pure override {
        revert MembershipDelegationDisabled();
    }

    /// @notice Disabled: reverts with {MembershipDelegationDisabled}.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert MembershipDelegationDisabled();
    }

    /// @dev Mints one unit to a new member.
    function _add(address account) private {
        if (account == address(0)) revert MembershipInvalidMembers();
        if (balanceOf(account) != 0) revert MembershipAlreadyMember(account);
        _mint(account, 1);
        emit MemberAdded(account);
    }

    /// @dev Reverts unless the caller is the governance timelock.
    function _onlyGovernance() private view {
        if (msg.sender != _governance) revert MembershipNotGovernance(msg.sender);
    }

    /// @dev Only mints and burns: any transfer between two accounts reverts. Voting units move with them
    ///      (to and from the holder itself, see {delegates}).
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        if (from != address(0) && to != address(0)) revert MembershipNonTransferable();
        super._update(from, to, value);
    }
}
